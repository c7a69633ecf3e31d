package io.notesync.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredPacket;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The threads that write packets. Whatever has queued up while a write was in flight goes out as
 * one unordered bulk insert, so the rate is not bounded by one round trip per packet. Duplicates
 * are recognised per packet from the database's own unique-key errors; each packet's future
 * completes only after the database acknowledged the whole batch.
 *
 * <p>Futures are completed on the {@code answers} thread, not on a writer thread: what depends on
 * them (fPacket to the room, confirmation, JSON encoding) would otherwise run on the writer
 * before it could start the next batch. {@code inFlight} writer threads take batches from the one
 * queue (config {@code writer.inFlightBatches}, default 1): on the embedded store two batches in
 * flight were slower (353 against 481 packets/s in bench/, steady max), as its inserts contend;
 * a replica set may gain from 2.
 * Per-socket answer order does not depend on either: the socket's session chains its answers.
 */
final class NoteWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NoteWriter.class);
    private static final int DUPLICATE_KEY = 11000;

    private record Pending(StoredPacket packet, CompletableFuture<StoreOutcome> outcome) {
    }

    private final MongoCollection<Document> packets;
    private final int maxBatch;
    private final long maxDelayMs;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService answers;
    private volatile boolean running = true;

    NoteWriter(MongoCollection<Document> packets, int maxBatch, long maxDelayMs, int inFlight) {
        this.packets = packets;
        this.maxBatch = maxBatch;
        this.maxDelayMs = maxDelayMs;
        this.answers = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "note-answers");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < inFlight; i++) {
            Thread thread = new Thread(this::run, "note-writer-" + (i + 1));
            thread.setDaemon(true);
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
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                collectMore(batch);
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

    /** Takes what is queued already, waiting at most maxDelayMs for more, up to maxBatch packets. */
    private void collectMore(List<Pending> batch) throws InterruptedException {
        queue.drainTo(batch, maxBatch - batch.size());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        while (batch.size() < maxBatch) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            Pending next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
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
        Map<Integer, BulkWriteError> errors = new HashMap<>();
        try {
            packets.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            // Count from the errors, never from the reply's inserted count (wrong on the embedded store).
            for (BulkWriteError error : e.getWriteErrors()) {
                errors.put(error.getIndex(), error);
            }
            if (e.getWriteConcernError() != null) {
                failAll(batch, e);
                return;
            }
        } catch (MongoException e) {
            failAll(batch, e);
            return;
        }
        List<Pending> done = List.copyOf(batch);
        answer(() -> {
            for (int i = 0; i < done.size(); i++) {
                BulkWriteError error = errors.get(i);
                CompletableFuture<StoreOutcome> outcome = done.get(i).outcome();
                if (error == null) {
                    outcome.complete(StoreOutcome.STORED);
                } else if (error.getCode() == DUPLICATE_KEY) {
                    outcome.complete(StoreOutcome.DUPLICATE);
                } else {
                    outcome.completeExceptionally(new StorageUnavailableException(
                            "the database refused the packet: " + error.getMessage(), null));
                }
            }
        });
    }

    private void failAll(List<Pending> batch, Exception cause) {
        List<Pending> failed = List.copyOf(batch);
        answer(() -> {
            for (Pending pending : failed) {
                pending.outcome().completeExceptionally(
                        new StorageUnavailableException("the database is unavailable", cause));
            }
        });
    }

    /** Runs completions on the answers thread; on this thread once that has been shut down. */
    private void answer(Runnable completions) {
        try {
            answers.execute(completions);
        } catch (RejectedExecutionException e) {
            completions.run();
        }
    }

    /** Writes what is already queued, then stops; waits up to 10 s for that last write and its answers. */
    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            answers.shutdown();
            answers.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
