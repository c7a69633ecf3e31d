package io.notesync.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoSocketException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import io.notesync.notes.Note;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredPacket;
import io.notesync.notes.Video;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The writer's group commit, against a collection whose {@code insertMany} the test holds open
 * and releases: which packets go into which write, and what each packet is answered. Every wait
 * is for a condition with a generous deadline; nothing here measures time.
 */
class NoteWriterTest {

    private static final long DEADLINE_S = 30;

    /**
     * A packets collection that records each insertMany's _ids and blocks it until released. Every
     * write must be unordered (nextWrite() checks): an ordered one stops at a batch's first
     * duplicate, and the packets after it would be confirmed without ever being inserted.
     */
    private static final class HeldCollection {
        final BlockingQueue<List<String>> writes = new LinkedBlockingQueue<>();
        final List<String> orderedWrites = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Semaphore releases = new Semaphore(0);
        volatile Function<List<String>, RuntimeException> failure = ids -> null;

        @SuppressWarnings("unchecked")
        MongoCollection<Document> proxy() {
            return (MongoCollection<Document>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{MongoCollection.class}, (self, method, args) -> {
                        if (!method.getName().equals("insertMany")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        List<String> ids = new ArrayList<>();
                        for (Object document : (List<?>) args[0]) {
                            ids.add(((Document) document).getString("_id"));
                        }
                        writes.add(ids);
                        if (args.length < 2 || !(args[1] instanceof InsertManyOptions options) || options.isOrdered()) {
                            orderedWrites.add(args.length < 2 ? "no options" : String.valueOf(args[1]));
                        }
                        if (!releases.tryAcquire(DEADLINE_S, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released this write");
                        }
                        RuntimeException thrown = failure.apply(ids);
                        if (thrown != null) {
                            throw thrown;
                        }
                        return null;
                    });
        }

        List<String> nextWrite() throws InterruptedException {
            List<String> ids = writes.poll(DEADLINE_S, TimeUnit.SECONDS);
            assertNotNull(ids, "no write started");
            assertTrue(orderedWrites.isEmpty(), "insertMany must be unordered (InsertManyOptions.ordered(false)); got " + orderedWrites);
            return ids;
        }
    }

    private final HeldCollection collection = new HeldCollection();
    private NoteWriter writer;

    @AfterEach
    void close() {
        collection.releases.release(1000);
        if (writer != null) {
            writer.close();
        }
    }

    private static StoredPacket packet(String id) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new StoredPacket("alice", id, new Video("youtube:dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
                List.of(new Note("n-" + id, "text", 1.5, now)), now);
    }

    private static StoreOutcome outcome(CompletableFuture<StoreOutcome> future) throws Exception {
        return future.get(DEADLINE_S, TimeUnit.SECONDS);
    }

    @Test
    void aLonePacketIsWrittenWithoutWaitingForCompany() throws Exception {
        writer = new NoteWriter(collection.proxy(), (user, ids) -> { }, 64, 1);
        CompletableFuture<StoreOutcome> a = writer.submit(packet("a"));
        // Nothing else ever arrives: the write must start with the one packet, and carry only it.
        assertEquals(List.of("alice/a"), collection.nextWrite());
        collection.releases.release();
        assertEquals(StoreOutcome.STORED, outcome(a));
    }

    @Test
    void whatQueuesDuringAWriteGoesOutTogetherInTheNextAndIsAnsweredOnlyAfterIt() throws Exception {
        writer = new NoteWriter(collection.proxy(), (user, ids) -> { }, 64, 1);
        CompletableFuture<StoreOutcome> a = writer.submit(packet("a"));
        assertEquals(List.of("alice/a"), collection.nextWrite());
        List<CompletableFuture<StoreOutcome>> later = List.of(
                writer.submit(packet("b")), writer.submit(packet("c")), writer.submit(packet("d")));
        // The first write is still open: nobody is answered before the database acknowledged.
        assertFalse(a.isDone());
        collection.releases.release();
        assertEquals(StoreOutcome.STORED, outcome(a));
        assertEquals(List.of("alice/b", "alice/c", "alice/d"), collection.nextWrite());
        for (CompletableFuture<StoreOutcome> future : later) {
            assertFalse(future.isDone());
        }
        collection.releases.release();
        for (CompletableFuture<StoreOutcome> future : later) {
            assertEquals(StoreOutcome.STORED, outcome(future));
        }
    }

    @Test
    void aBatchHoldsAtMostMaxBatchPackets() throws Exception {
        writer = new NoteWriter(collection.proxy(), (user, ids) -> { }, 2, 1);
        List<CompletableFuture<StoreOutcome>> all = new ArrayList<>();
        all.add(writer.submit(packet("p0")));
        assertEquals(List.of("alice/p0"), collection.nextWrite());
        for (int i = 1; i <= 5; i++) {
            all.add(writer.submit(packet("p" + i)));
        }
        collection.releases.release(4);
        assertEquals(List.of("alice/p1", "alice/p2"), collection.nextWrite());
        assertEquals(List.of("alice/p3", "alice/p4"), collection.nextWrite());
        assertEquals(List.of("alice/p5"), collection.nextWrite());
        for (CompletableFuture<StoreOutcome> future : all) {
            assertEquals(StoreOutcome.STORED, outcome(future));
        }
        assertNull(collection.writes.poll(), "an extra write");
    }

    @Test
    void aFailedWriteAnswersEveryPacketOfItsBatchAsStorageUnavailable() throws Exception {
        writer = new NoteWriter(collection.proxy(), (user, ids) -> { }, 64, 1);
        CompletableFuture<StoreOutcome> a = writer.submit(packet("a"));
        assertEquals(List.of("alice/a"), collection.nextWrite());
        List<CompletableFuture<StoreOutcome>> failing = List.of(
                writer.submit(packet("b")), writer.submit(packet("c")), writer.submit(packet("d")));
        collection.failure = ids -> ids.size() == 3
                ? new MongoSocketException("connection reset", new ServerAddress("127.0.0.1", 27017)) : null;
        collection.releases.release();
        assertEquals(StoreOutcome.STORED, outcome(a));
        assertEquals(3, collection.nextWrite().size());
        collection.releases.release();
        for (CompletableFuture<StoreOutcome> future : failing) {
            ExecutionException thrown = assertThrows(ExecutionException.class, () -> outcome(future));
            assertInstanceOf(StorageUnavailableException.class, thrown.getCause());
        }
        // The writer goes on after a failed batch.
        collection.failure = ids -> null;
        CompletableFuture<StoreOutcome> e = writer.submit(packet("e"));
        assertEquals(List.of("alice/e"), collection.nextWrite());
        collection.releases.release();
        assertEquals(StoreOutcome.STORED, outcome(e));
    }

    @Test
    void duplicatesAreAnsweredPerPacketFromTheDatabasesErrors() throws Exception {
        writer = new NoteWriter(collection.proxy(), (user, ids) -> { }, 64, 1);
        CompletableFuture<StoreOutcome> first = writer.submit(packet("x"));
        assertEquals(List.of("alice/x"), collection.nextWrite());
        List<CompletableFuture<StoreOutcome>> batch = List.of(
                writer.submit(packet("y")), writer.submit(packet("x")), writer.submit(packet("z")));
        collection.failure = ids -> ids.size() == 3 ? new MongoBulkWriteException(BulkWriteResult.unacknowledged(),
                List.of(new BulkWriteError(11000, "E11000 duplicate key", new BsonDocument(), 1)), null,
                new ServerAddress("127.0.0.1", 27017), Set.of()) : null;
        collection.releases.release(2);
        assertEquals(StoreOutcome.STORED, outcome(first));
        assertEquals(List.of("alice/y", "alice/x", "alice/z"), collection.nextWrite());
        assertEquals(StoreOutcome.STORED, outcome(batch.get(0)));
        assertEquals(StoreOutcome.DUPLICATE, outcome(batch.get(1)));
        assertEquals(StoreOutcome.STORED, outcome(batch.get(2)));
    }
}
