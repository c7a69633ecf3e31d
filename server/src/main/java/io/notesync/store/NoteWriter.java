package io.notesync.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredPacket;
import io.notesync.threads.DaemonThreads;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The threads that write packets, by group commit: a writer takes the first packet the moment it
 * arrives, together with whatever else is queued (at most {@code maxBatch}), writes them as one
 * unordered bulk insert, and as soon as that write returns starts the next with whatever arrived
 * meanwhile. When nothing waits, a packet is written at once; under load, batches grow by
 * themselves with the time one write takes, so the rate is not bounded by one round trip per
 * packet. There is no timed wait for company: that only added latency when idle. On the embedded
 * store one write command is one H2 commit ({@link DurableH2Backend}), so one commit per batch.
 *
 * <p>Duplicates are recognised per packet from the database's own unique-key errors; each
 * packet's future completes only after the database acknowledged the whole batch. Futures are
 * completed on the writer thread itself; that is cheap because what depends on them (fPacket,
 * confirmation) is run by the caller on its socket's Netty event loop ({@code PacketFlow}), where
 * the write to the socket has to happen anyway.
 *
 * <p>{@code inFlight} writer threads take batches from the one queue (config
 * {@code writer.inFlightBatches}, default 1): on the embedded store two batches in flight were
 * no better than one beyond the noise between bench runs (docs/benchmark.md); a replica set may
 * gain from 2.
 * Per-socket answer order does not depend on either: the socket's session chains its answers.
 */
final class NoteWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NoteWriter.class);
    private static final int DUPLICATE_KEY = 11000;

    private record Pending(StoredPacket packet, CompletableFuture<StoreOutcome> outcome) {
    }

    private final MongoCollection<Document> packets;
    private final Linker changes;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** Links one user's packets, just inserted or found inserted, into the lookups ({@link UserChanges#link}). */
    @FunctionalInterface
    interface Linker {
        void link(String username, List<String> packetIds);
    }

    NoteWriter(MongoCollection<Document> packets, Linker changes, int maxBatch, int inFlight) {
        this.packets = packets;
        this.changes = changes;
        this.maxBatch = maxBatch;
        DaemonThreads writers = DaemonThreads.numbered("note-writer");
        for (int i = 0; i < inFlight; i++) {
            Thread thread = writers.newThread(this::run);
            threads.add(thread);
            thread.start();
        }
    }

    CompletableFuture<StoreOutcome> submit(StoredPacket packet) {
        CompletableFuture<StoreOutcome> outcome = new CompletableFuture<>();
        if (!running) {
            outcome.completeExceptionally(new StorageUnavailableException("the server is shutting down", null));
            return outcome;
        }
        queue.add(new Pending(packet, outcome));
        return outcome;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                // Blocks only while nothing is queued; the timeout is only for noticing close().
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("note writer failed a batch of {}", batch.size(), e);
                failAll(batch, e);
            } finally {
                batch.clear();
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left, new IllegalStateException("writer stopped"));
    }

    private void write(List<Pending> batch) {
        // A packet already answered (it timed out waiting) is not written: its client was told to resend.
        batch.removeIf(pending -> pending.outcome().isDone());
        if (batch.isEmpty()) {
            return;
        }
        List<Document> documents = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            documents.add(PacketDocuments.toDocument(pending.packet()));
        }
        Map<Integer, BulkWriteError> errors = Map.of();
        try {
            packets.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                failAll(batch, e);
                return;
            }
            // Count from the errors, never from the reply's inserted count (wrong on the embedded store).
            errors = new HashMap<>();
            for (BulkWriteError error : e.getWriteErrors()) {
                errors.put(error.getIndex(), error);
            }
        } catch (MongoException e) {
            failAll(batch, e);
            return;
        }
        // Stored or found stored, each packet is linked into the lookups before it is answered: a
        // resend after a crash between the insert and the links repairs them, never answers
        // duplicate over a packet the reads cannot see.
        Map<String, List<Integer>> byUser = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            BulkWriteError error = errors.get(i);
            if (error != null && error.getCode() != DUPLICATE_KEY) {
                batch.get(i).outcome().completeExceptionally(new StorageUnavailableException(
                        "the database refused the packet: " + error.getMessage(), null));
                continue;
            }
            byUser.computeIfAbsent(batch.get(i).packet().username(), user -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> user : byUser.entrySet()) {
            List<String> ids = new ArrayList<>();
            for (int i : user.getValue()) {
                ids.add(documents.get(i).getString("_id"));
            }
            try {
                changes.link(user.getKey(), ids);
            } catch (RuntimeException e) {
                for (int i : user.getValue()) {
                    batch.get(i).outcome().completeExceptionally(new StorageUnavailableException("the database is unavailable", e));
                }
                continue;
            }
            for (int i : user.getValue()) {
                batch.get(i).outcome().complete(errors.containsKey(i) ? StoreOutcome.DUPLICATE : StoreOutcome.STORED);
            }
        }
    }

    private static void failAll(List<Pending> batch, Exception cause) {
        for (Pending pending : batch) {
            pending.outcome().completeExceptionally(new StorageUnavailableException("the database is unavailable", cause));
        }
    }

    /** Writes what is already queued, then stops; waits up to 10 s for that last write. */
    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
