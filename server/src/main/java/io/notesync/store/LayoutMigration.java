package io.notesync.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.notesync.storage.StorageUnavailableException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Brings a store written by an older notesync to the current layout ({@link NoteLayout}) before
 * the server answers anything: every packet without a {@code seq} is linked into the lookups,
 * through the same {@link UserChanges#link} a resend uses, so it is crash-safe the same way (a
 * packet is linked whole or not at all; a change claimed but not applied is applied by the next
 * run; a linked packet is never linked again). When no unlinked packet is left, the marker
 * {@code {_id: "layout", version: 2}} in {@code notesyncMeta} says so, and later starts check
 * only that one document.
 *
 * <p>Nodes sharing one MongoDB: one migrates, holding the lock document {@code {_id:
 * "layoutMigration"}} (claimed by inserting it, kept alive by a heartbeat); the others wait for
 * the marker, and take the lock over when its heartbeat is older than {@link #STALE_MS}. On the
 * embedded store, whose file only this process can open, a lock found at start is a crashed run's.
 *
 * <p>Finding the unlinked packets is the one query here that is not by {@code _id}: a filter on
 * {@code seq} existing, which a real MongoDB answers by scanning as well (it runs once per store).
 * It reads {@link #PASS} packets per pass, ids and users only.
 */
public final class LayoutMigration {

    private static final Logger log = LoggerFactory.getLogger(LayoutMigration.class);
    static final int VERSION = 2;
    static final String LAYOUT = "layout";
    static final String LOCK = "layoutMigration";
    private static final String HEARTBEAT = "heartbeat";
    static final long STALE_MS = 30_000;
    private static final int PASS = 100_000;
    /** Packets per change when migrating: bounds a change document (ids of packets and notes). */
    private static final int PER_CHANGE = 500;
    private static final long PROGRESS_EVERY_MS = 5_000;

    private final MongoDatabase database;
    private final MongoCollection<Document> meta;
    private final MongoCollection<Document> packets;
    private final UserChanges changes;
    private final String node = UUID.randomUUID().toString();

    private LayoutMigration(MongoDatabase database, long timeoutMs, boolean exclusive) {
        this.database = database;
        this.meta = database.getCollection(NoteLayout.META);
        this.packets = database.getCollection(NoteLayout.PACKETS);
        this.changes = new UserChanges(database, exclusive ? 0 : timeoutMs, timeoutMs);
    }

    /**
     * Returns once the store is on the current layout, migrating it here or waiting for the node
     * that does.
     *
     * @param exclusive true when no other process can use this store (the embedded one)
     */
    public static void ensure(MongoDatabase database, long timeoutMs, boolean exclusive) {
        long lastLog = 0;
        // One instance across retries: its node id is the lock's holder.
        LayoutMigration migration = new LayoutMigration(database, timeoutMs, exclusive);
        while (true) {
            try {
                migration.run(exclusive);
                return;
            } catch (MongoException | StorageUnavailableException e) {
                // The database is down or slow at start: the server waits for it (it cannot tell
                // which layout the store holds without it), and says so.
                long now = System.currentTimeMillis();
                if (now - lastLog >= PROGRESS_EVERY_MS) {
                    lastLog = now;
                    log.warn("note layout: cannot check or migrate it yet, retrying: {}", e.getMessage());
                }
                sleep(1000);
            }
        }
    }

    private boolean done() {
        Document layout = meta.find(Filters.eq("_id", LAYOUT)).first();
        return layout != null && layout.getInteger("version", 0) >= VERSION;
    }

    private void run(boolean exclusive) {
        if (done()) {
            return;
        }
        long waitingSince = System.currentTimeMillis();
        while (!acquire(exclusive)) {
            if (done()) {
                log.info("note layout: migrated by another node");
                return;
            }
            if (System.currentTimeMillis() - waitingSince > PROGRESS_EVERY_MS) {
                log.info("note layout: waiting for another node to finish migrating it");
                waitingSince = System.currentTimeMillis();
            }
            sleep(1000);
        }
        try {
            migrate();
            MongoRefreshTokenRepository.listExisting(database);
            meta.replaceOne(Filters.eq("_id", LAYOUT), new Document("_id", LAYOUT).append("version", VERSION)
                    .append("at", new Date()), new ReplaceOptions().upsert(true));
        } finally {
            meta.deleteOne(Filters.and(Filters.eq("_id", LOCK), Filters.eq("node", node)));
        }
    }

    /** Inserting the lock is the claim; a stale lock is taken over by replacing exactly the heartbeat seen. */
    private boolean acquire(boolean exclusive) {
        Date now = new Date();
        try {
            meta.insertOne(new Document("_id", LOCK).append("node", node).append(HEARTBEAT, now));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document held = meta.find(Filters.eq("_id", LOCK)).first();
        if (held == null) {
            return false;
        }
        if (node.equals(held.getString("node"))) {
            return true;
        }
        Date beat = held.getDate(HEARTBEAT);
        if (!exclusive && now.getTime() - beat.getTime() < STALE_MS) {
            return false;
        }
        log.info("note layout: taking over the migration from {} (last heartbeat {})", held.getString("node"), beat.toInstant());
        return meta.updateOne(Filters.and(Filters.eq("_id", LOCK), Filters.eq(HEARTBEAT, beat)),
                Updates.combine(Updates.set("node", node), Updates.set(HEARTBEAT, now))).getModifiedCount() == 1;
    }

    private void migrate() {
        long total = packets.estimatedDocumentCount();
        long started = System.nanoTime();
        long lastLog = 0;
        long linked = 0;
        log.info("note layout: migrating to version {}: linking the packets not linked yet (of {} stored)", VERSION, total);
        while (true) {
            List<Document> unlinked = packets.find(Filters.exists(NoteLayout.LINKED_SEQ, false))
                    .projection(Projections.include("_id", PacketDocuments.USER)).limit(PASS).into(new ArrayList<>());
            if (unlinked.isEmpty()) {
                break;
            }
            Map<String, List<String>> byUser = new LinkedHashMap<>();
            for (Document packet : unlinked) {
                byUser.computeIfAbsent(packet.getString(PacketDocuments.USER), user -> new ArrayList<>()).add(packet.getString("_id"));
            }
            for (Map.Entry<String, List<String>> user : byUser.entrySet()) {
                List<String> ids = user.getValue();
                for (int from = 0; from < ids.size(); from += PER_CHANGE) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PER_CHANGE));
                    changes.link(user.getKey(), chunk);
                    linked += chunk.size();
                    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    if (elapsedMs - lastLog >= PROGRESS_EVERY_MS) {
                        lastLog = elapsedMs;
                        meta.updateOne(Filters.eq("_id", LOCK), Updates.set(HEARTBEAT, new Date()));
                        log.info("note layout: {} of {} packets linked ({} s)", linked, total, elapsedMs / 1000);
                    }
                }
            }
        }
        log.info("note layout: migrated, {} packets linked in {} s", linked,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting for the layout migration", e);
        }
    }
}
