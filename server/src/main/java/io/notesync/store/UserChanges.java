package io.notesync.store;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.ErrorCategory;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.notesync.notes.ChangedNote;
import io.notesync.notes.DeleteOutcome;
import io.notesync.notes.Note;
import io.notesync.notes.StoredNote;
import io.notesync.storage.StorageUnavailableException;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

import static io.notesync.store.NoteLayout.AT;
import static io.notesync.store.NoteLayout.DELETED;
import static io.notesync.store.NoteLayout.EDITED;
import static io.notesync.store.NoteLayout.HEAD;
import static io.notesync.store.NoteLayout.INDEX;
import static io.notesync.store.NoteLayout.KIND;
import static io.notesync.store.NoteLayout.LAST;
import static io.notesync.store.NoteLayout.LINKED_SEQ;
import static io.notesync.store.NoteLayout.LIVE;
import static io.notesync.store.NoteLayout.NODE;
import static io.notesync.store.NoteLayout.PACKET;
import static io.notesync.store.NoteLayout.STORED;
import static io.notesync.store.NoteLayout.USER_VIDEOS;
import static io.notesync.store.NoteLayout.VIDEO_PACKETS;
import static io.notesync.store.PacketDocuments.CHANGED_AT;
import static io.notesync.store.PacketDocuments.NOTES;
import static io.notesync.store.PacketDocuments.NOTE_CHANGED_AT;
import static io.notesync.store.PacketDocuments.NOTE_DELETED;
import static io.notesync.store.PacketDocuments.NOTE_ID;
import static io.notesync.store.PacketDocuments.NOTE_TEXT;
import static io.notesync.store.PacketDocuments.NOTE_VERSION;
import static io.notesync.store.PacketDocuments.STORED_AT;
import static io.notesync.store.PacketDocuments.USER;
import static io.notesync.store.PacketDocuments.VIDEO_KEY;
import static io.notesync.store.PacketDocuments.VIDEO_URL;

/**
 * Each user's one change sequence, and every change of a user's notes made through it: packets
 * linked into the lookups ({@link NoteLayout}), an edit, a delete.
 *
 * <p>A change is <em>planned</em> from the current state, then <em>claimed</em> by inserting its
 * document at position head+1 of the user's sequence, then <em>applied</em> to the lookups and the
 * packet, and the head moved to it. The insert is the only compare-and-set, and it is an
 * equality on {@code _id} (the embedded store serves it by index; a real MongoDB by its
 * {@code _id} index). Whoever finds the position taken applies that change first (it holds
 * absolute values, so applying it twice is harmless), then plans again on the new state. So
 * positions have no gaps, their order is commit order, and a crash between claim and apply is
 * repaired by the user's next change or read. On one node a lock per user keeps two appliers of
 * the same change from interleaving; a change another node claimed less than {@code leaseMs} ago
 * is left to that node until the lease ends (its applier is presumed alive until then).
 */
final class UserChanges {

    private static final int LOCK_STRIPES = 256;
    private static final int MAX_ATTEMPTS = 64;

    /** A change to claim (null: nothing to change) and what the caller answers once it is applied. */
    record Plan<T>(Document change, T result) {
        static <T> Plan<T> nothing(T result) {
            return new Plan<>(null, result);
        }
    }

    private final MongoCollection<Document> packets;
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> videos;
    private final MongoCollection<Document> noteIds;
    private final MongoCollection<Document> changes;
    private final String node = UUID.randomUUID().toString();
    private final long leaseMs;
    private final long lockWaitMs;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /**
     * @param leaseMs how long a change another process claimed is left to it (0 when no other
     *                process can use this store: a change found unapplied is then a crashed run's)
     * @param lockWaitMs how long a caller waits for another thread's change of the same user
     */
    UserChanges(MongoDatabase database, long leaseMs, long lockWaitMs) {
        this.packets = unjournaled(database.getCollection(NoteLayout.PACKETS));
        this.users = database.getCollection(NoteLayout.USERS);
        this.videos = unjournaled(database.getCollection(NoteLayout.VIDEOS));
        this.noteIds = unjournaled(database.getCollection(NoteLayout.NOTE_IDS));
        this.changes = unjournaled(database.getCollection(NoteLayout.CHANGES));
        this.leaseMs = leaseMs;
        this.lockWaitMs = lockWaitMs;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * The writes of a change before its last go out without waiting for the journal; the last
     * (the head, {@link #apply}) waits for it, and so makes every earlier one durable too: MongoDB's
     * journal and the embedded store's commits ({@link DurableH2Backend}) are each one ordered log,
     * so a write found durable has every write before it durable. One disk sync per change instead
     * of one per write; a crash in between loses the change whole, or leaves it to be finished.
     */
    static <T> MongoCollection<T> unjournaled(MongoCollection<T> collection) {
        return collection.withWriteConcern(collection.getWriteConcern().withJournal(false));
    }

    // ---------------------------------------------------------------- reads

    /**
     * The user's lookup document (head and video keys; empty when the user has none), after any
     * change claimed but not applied has been applied. Two {@code _id} lookups when nothing is
     * pending: noteUsers by user, noteChanges by "user/head+1".
     */
    Document settledUser(String username) {
        Document user = user(username);
        long head = head(user);
        if (changes.find(Filters.eq("_id", NoteLayout.changeId(username, head + 1))).projection(Projections.include("_id")).first() == null) {
            return user;
        }
        return locked(username, () -> {
            applyPending(username, head(user(username)));
            return user(username);
        });
    }

    private Document user(String username) {
        Document user = users.find(Filters.eq("_id", username)).first();
        return user == null ? new Document() : user;
    }

    private static long head(Document user) {
        Number head = (Number) user.get(HEAD);
        return head == null ? 0 : head.longValue();
    }

    // ---------------------------------------------------------------- changes

    /**
     * Makes sure each packet of {@code packetIds} (all the user's, already inserted) is linked:
     * listed in its video, its notes findable by id, counted. Packets linked already (by an
     * earlier attempt, or another node) are left alone, so this repairs a half-written packet
     * and is a no-op on a whole one.
     */
    void link(String username, Collection<String> packetIds) {
        Boolean linkedNow = commit(username, position -> planLink(username, packetIds));
        if (!Boolean.TRUE.equals(linkedNow)) {
            // Linked already, maybe by a write not yet on disk (another thread's, or another node's):
            // this journaled write returns only once everything before it is durable.
            users.updateOne(Filters.eq("_id", username), Updates.max(HEAD, 0L), new UpdateOptions().upsert(true));
        }
    }

    private Plan<Boolean> planLink(String username, Collection<String> packetIds) {
        Map<String, Document> found = new LinkedHashMap<>();
        for (Document packet : packets.find(Filters.in("_id", packetIds))) {
            found.put(packet.getString("_id"), packet);
        }
        // In the order given: a batch's packets keep their arrival order within a video.
        Map<String, Document> byVideo = new LinkedHashMap<>();
        List<Document> linked = new ArrayList<>();
        for (String id : packetIds) {
            Document packet = found.get(id);
            if (packet == null || packet.get(LINKED_SEQ) != null || !username.equals(packet.getString(USER))) {
                continue;
            }
            List<String> notes = new ArrayList<>();
            long live = 0;
            for (Document note : packet.getList(NOTES, Document.class)) {
                notes.add(note.getString(NOTE_ID));
                if (!Boolean.TRUE.equals(note.getBoolean(NOTE_DELETED))) {
                    live++;
                }
            }
            String videoKey = packet.getString(VIDEO_KEY);
            linked.add(new Document("_id", id).append(VIDEO_KEY, videoKey).append(NOTES, notes));
            Document video = byVideo.computeIfAbsent(videoKey, key -> new Document("_id", NoteLayout.videoId(username, key))
                    .append(VIDEO_KEY, key).append(VIDEO_URL, packet.getString(VIDEO_URL))
                    .append(LIVE, 0L).append(LAST, packet.getDate(STORED_AT)).append(VIDEO_PACKETS, new ArrayList<String>()));
            video.put(LIVE, video.getLong(LIVE) + live);
            if (packet.getDate(STORED_AT).after(video.getDate(LAST))) {
                video.put(LAST, packet.getDate(STORED_AT));
            }
            video.getList(VIDEO_PACKETS, String.class).add(id);
        }
        if (linked.isEmpty()) {
            return Plan.nothing(false);
        }
        List<String> videoIds = new ArrayList<>();
        for (Document video : byVideo.values()) {
            videoIds.add(video.getString("_id"));
        }
        // The counts so far: this change stores absolute values, so that applying it twice is harmless.
        for (Document existing : videos.find(Filters.in("_id", videoIds)).projection(Projections.include(LIVE))) {
            for (Document video : byVideo.values()) {
                if (video.getString("_id").equals(existing.getString("_id"))) {
                    video.put(LIVE, video.getLong(LIVE) + ((Number) existing.get(LIVE, 0L)).longValue());
                }
            }
        }
        return new Plan<>(new Document(KIND, STORED).append("packets", linked)
                .append("videos", new ArrayList<>(byVideo.values())), true);
    }

    /** Replaces the text of the user's live note {@code noteId}; empty when there is none. */
    Optional<ChangedNote> edit(String username, String noteId, String text, Instant at) {
        return commit(username, position -> {
            Located located = locate(username, noteId);
            if (located == null || located.note().deleted()) {
                return Plan.nothing(Optional.empty());
            }
            int version = located.note().version() + 1;
            StoredNote edited = new StoredNote(new Note(noteId, text, located.note().note().timestamp(),
                    located.note().note().createdAt()), at, version, false);
            Document change = located.changeOf(EDITED, at, version).append(NOTE_TEXT, text);
            return new Plan<>(change, Optional.of(new ChangedNote(located.videoKey(), edited)));
        });
    }

    /** Deletes the user's note {@code noteId}, leaving a tombstone. */
    DeleteOutcome delete(String username, String noteId, Instant at) {
        return commit(username, position -> {
            Located located = locate(username, noteId);
            if (located == null) {
                return Plan.nothing(DeleteOutcome.NOT_FOUND);
            }
            if (located.note().deleted()) {
                return Plan.nothing(DeleteOutcome.ALREADY_DELETED);
            }
            Document video = videos.find(Filters.eq("_id", NoteLayout.videoId(username, located.videoKey())))
                    .projection(Projections.include(LIVE)).first();
            long live = video == null ? 0 : Math.max(0, ((Number) video.get(LIVE, 0L)).longValue() - 1);
            Document change = located.changeOf(DELETED, at, located.note().version() + 1).append(LIVE, live);
            return new Plan<>(change, DeleteOutcome.deleted(located.videoKey()));
        });
    }

    /**
     * Removes every document of the user that the lookups reach: changes, note ids, packets,
     * videos, and last the user's document, so that a removal cut short is finished by the next
     * one. Returns how many live notes went. A packet stored but never linked (its insert
     * survived a crash, and its client never resent it) is not reached: nothing lists it.
     */
    long removeAll(String username) {
        return locked(username, () -> {
            applyPending(username, head(user(username)));
            Document user = user(username);
            long head = head(user);
            List<String> videoIds = new ArrayList<>();
            for (String key : user.getList(USER_VIDEOS, String.class, List.of())) {
                videoIds.add(NoteLayout.videoId(username, key));
            }
            long live = 0;
            List<String> packetIds = new ArrayList<>();
            if (!videoIds.isEmpty()) {
                for (Document video : videos.find(Filters.in("_id", videoIds))) {
                    live += ((Number) video.get(LIVE, 0L)).longValue();
                    packetIds.addAll(video.getList(VIDEO_PACKETS, String.class, List.of()));
                }
            }
            List<String> noteIdsOfUser = new ArrayList<>();
            if (!packetIds.isEmpty()) {
                for (Document packet : packets.find(Filters.in("_id", packetIds)).projection(Projections.include(NOTES + "." + NOTE_ID))) {
                    for (Document note : packet.getList(NOTES, Document.class)) {
                        noteIdsOfUser.add(note.getString(NOTE_ID));
                    }
                }
            }
            for (long from = 1; from <= head; from += 1000) {
                List<String> changeIds = new ArrayList<>();
                for (long position = from; position <= Math.min(head, from + 999); position++) {
                    changeIds.add(NoteLayout.changeId(username, position));
                }
                changes.deleteMany(Filters.in("_id", changeIds));
            }
            if (!noteIdsOfUser.isEmpty()) {
                noteIds.deleteMany(Filters.in("_id", noteIdsOfUser));
            }
            if (!packetIds.isEmpty()) {
                packets.deleteMany(Filters.in("_id", packetIds));
            }
            if (!videoIds.isEmpty()) {
                videos.deleteMany(Filters.in("_id", videoIds));
            }
            users.deleteOne(Filters.eq("_id", username));
            return live;
        });
    }

    /** A user's note found by its id: its packet, its index there, its state. */
    private record Located(String noteId, String packetId, int index, String videoKey, StoredNote note) {
        Document changeOf(String kind, Instant at, int version) {
            return new Document(KIND, kind).append("note", noteId).append(PACKET, packetId).append(INDEX, index)
                    .append(VIDEO_KEY, videoKey).append(NOTE_VERSION, version).append(NOTE_CHANGED_AT, Date.from(at));
        }
    }

    /** noteIds by {@code _id}, then the packet by {@code _id}; null when the user has no such note. */
    private Located locate(String username, String noteId) {
        Document ref = noteIds.find(Filters.eq("_id", noteId)).first();
        if (ref == null || !username.equals(ref.getString(USER))) {
            return null;
        }
        Document packet = packets.find(Filters.eq("_id", ref.getString(PACKET))).projection(Projections.include(NOTES)).first();
        int index = ref.getInteger(INDEX);
        if (packet == null) {
            return null;
        }
        List<Document> notes = packet.getList(NOTES, Document.class);
        if (index >= notes.size() || !noteId.equals(notes.get(index).getString(NOTE_ID))) {
            return null;
        }
        return new Located(noteId, ref.getString(PACKET), index, ref.getString(VIDEO_KEY), PacketDocuments.noteOf(notes.get(index)));
    }

    /**
     * Plans on the current state, claims head+1, applies. When the position is taken, the change
     * there is applied and the plan made again on the state after it.
     */
    private <T> T commit(String username, LongFunction<Plan<T>> planner) {
        return locked(username, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                long head = head(user(username));
                long position = head + 1;
                Plan<T> plan = planner.apply(position);
                if (plan.change() == null) {
                    return plan.result();
                }
                Document change = new Document("_id", NoteLayout.changeId(username, position)).append(USER, username)
                        .append(HEAD, position).append(NODE, node).append(AT, new Date());
                change.putAll(plan.change());
                if (claim(change)) {
                    apply(change);
                    return plan.result();
                }
                applyPending(username, head);
            }
            throw new StorageUnavailableException("the changes of " + username + " did not settle after "
                    + MAX_ATTEMPTS + " attempts", null);
        });
    }

    private boolean claim(Document change) {
        try {
            changes.insertOne(change);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Applies the changes claimed after {@code head}, in order, until a position is free. */
    private void applyPending(String username, long head) {
        for (long position = head + 1; ; position++) {
            Document change = changes.find(Filters.eq("_id", NoteLayout.changeId(username, position))).first();
            if (change == null) {
                return;
            }
            awaitOtherNode(username, change, position);
            apply(change);
        }
    }

    /** A change another node claimed moments ago is probably being applied there: give it its lease. */
    private void awaitOtherNode(String username, Document change, long position) {
        if (node.equals(change.getString(NODE))) {
            return;
        }
        long deadline = change.getDate(AT).getTime() + leaseMs;
        while (System.currentTimeMillis() < deadline) {
            if (head(user(username)) >= position) {
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("interrupted", e);
            }
        }
    }

    /** Every write is by {@code _id} and sets absolute values, so applying a change again changes nothing. */
    private void apply(Document change) {
        String username = change.getString(USER);
        long position = ((Number) change.get(HEAD)).longValue();
        Bson head = Updates.max(HEAD, position);
        switch (change.getString(KIND)) {
            case STORED -> head = Updates.combine(head, Updates.addEachToSet(USER_VIDEOS, applyStored(username, position, change)));
            case EDITED -> applyToNote(change, Updates.set(notePath(change, NOTE_TEXT), change.getString(NOTE_TEXT)));
            case DELETED -> {
                applyToNote(change, Updates.combine(Updates.set(notePath(change, NOTE_DELETED), true),
                        Updates.set(notePath(change, NOTE_TEXT), "")));
                videos.updateOne(Filters.eq("_id", NoteLayout.videoId(username, change.getString(VIDEO_KEY))),
                        Updates.set(LIVE, change.get(LIVE)));
            }
            default -> throw new IllegalStateException("unknown change kind in " + change.get("_id"));
        }
        // Last, and journaled: the change is durable, whole, when this returns.
        users.updateOne(Filters.eq("_id", username), head, new UpdateOptions().upsert(true));
    }

    private static String notePath(Document change, String field) {
        return NOTES + "." + change.getInteger(INDEX) + "." + field;
    }

    private void applyToNote(Document change, Bson what) {
        Date at = change.getDate(NOTE_CHANGED_AT);
        packets.updateOne(Filters.eq("_id", change.getString(PACKET)), Updates.combine(what,
                Updates.set(notePath(change, NOTE_CHANGED_AT), at),
                Updates.set(notePath(change, NOTE_VERSION), change.getInteger(NOTE_VERSION)),
                Updates.max(CHANGED_AT, at)));
    }

    /** The lookups of the packets of a "stored" change; returns the keys of their videos, for the user's document. */
    private List<String> applyStored(String username, long position, Document change) {
        List<WriteModel<Document>> ids = new ArrayList<>();
        List<WriteModel<Document>> linkedPackets = new ArrayList<>();
        for (Document packet : change.getList("packets", Document.class)) {
            List<String> notes = packet.getList(NOTES, String.class);
            for (int i = 0; i < notes.size(); i++) {
                ids.add(new ReplaceOneModel<>(Filters.eq("_id", notes.get(i)), new Document("_id", notes.get(i))
                        .append(USER, username).append(PACKET, packet.getString("_id")).append(INDEX, i)
                        .append(VIDEO_KEY, packet.getString(VIDEO_KEY)), new ReplaceOptions().upsert(true)));
            }
            linkedPackets.add(new UpdateOneModel<>(Filters.eq("_id", packet.getString("_id")), Updates.set(LINKED_SEQ, position)));
        }
        List<WriteModel<Document>> videoUpdates = new ArrayList<>();
        List<String> videoKeys = new ArrayList<>();
        for (Document video : change.getList("videos", Document.class)) {
            videoKeys.add(video.getString(VIDEO_KEY));
            videoUpdates.add(new UpdateOneModel<>(Filters.eq("_id", video.getString("_id")), Updates.combine(
                    Updates.set(USER, username), Updates.set(VIDEO_KEY, video.getString(VIDEO_KEY)),
                    Updates.set(VIDEO_URL, video.getString(VIDEO_URL)), Updates.set(LIVE, video.get(LIVE)),
                    Updates.max(LAST, video.getDate(LAST)),
                    Updates.addEachToSet(VIDEO_PACKETS, video.getList(VIDEO_PACKETS, String.class))),
                    new UpdateOptions().upsert(true)));
        }
        if (!ids.isEmpty()) {
            noteIds.bulkWrite(ids);
        }
        videos.bulkWrite(videoUpdates);
        // Last: a packet marked linked must have everything above in place.
        packets.bulkWrite(linkedPackets);
        return videoKeys;
    }

    private <T> T locked(String username, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(username.hashCode(), LOCK_STRIPES)];
        try {
            if (!lock.tryLock(lockWaitMs, TimeUnit.MILLISECONDS)) {
                throw new StorageUnavailableException("the changes of " + username + " are busy", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted", e);
        }
        try {
            return work.get();
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot change the notes of " + username + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
