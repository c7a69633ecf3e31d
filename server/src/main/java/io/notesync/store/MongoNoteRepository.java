package io.notesync.store;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.notesync.config.NotesyncConfig;
import io.notesync.notes.Note;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.StorageUnavailableException;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredPacket;
import io.notesync.notes.VideoSummary;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.notesync.store.PacketDocuments.NOTES;
import static io.notesync.store.PacketDocuments.STORED_AT;
import static io.notesync.store.PacketDocuments.USER;
import static io.notesync.store.PacketDocuments.VIDEO_KEY;
import static io.notesync.store.PacketDocuments.VIDEO_URL;

/** Notes in MongoDB, one document per packet (see {@link PacketDocuments}). */
public final class MongoNoteRepository implements NoteRepository, AutoCloseable {

    static final String COLLECTION = "packets";

    private final MongoConnection connection;
    private final MongoCollection<Document> packets;
    private final NoteWriter writer;
    private final long timeoutMs;

    public MongoNoteRepository(MongoConnection connection, NotesyncConfig.MongoDb config, NotesyncConfig.Writer writerConfig) {
        this.timeoutMs = config.timeoutMs();
        this.connection = connection;
        this.packets = connection.database().getCollection(COLLECTION);
        createIndexes();
        this.writer = new NoteWriter(packets, writerConfig.maxBatchPackets(), writerConfig.inFlightBatches());
    }

    /**
     * Real MongoDB serves the reads below from these; the embedded store accepts and ignores
     * non-unique indexes and scans instead (STACK.md). Idempotency needs none: it is the _id.
     */
    private void createIndexes() {
        try {
            packets.createIndex(Indexes.ascending(USER, VIDEO_KEY, STORED_AT), new IndexOptions().name("user_video_storedAt"));
            packets.createIndex(Indexes.compoundIndex(Indexes.ascending(USER), Indexes.descending(STORED_AT)),
                    new IndexOptions().name("user_storedAt"));
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot reach MongoDB to create indexes: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<StoreOutcome> store(StoredPacket packet) {
        return writer.submit(packet).orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Note> notesOf(String username, String videoKey, Instant since) {
        Bson filter = Filters.and(Filters.eq(USER, username), Filters.eq(VIDEO_KEY, videoKey));
        if (since != null) {
            filter = Filters.and(filter, Filters.gt(STORED_AT, Date.from(since)));
        }
        List<Note> notes = new ArrayList<>();
        try {
            for (Document packet : packets.find(filter).projection(new Document(NOTES, 1))) {
                notes.addAll(PacketDocuments.notesOf(packet));
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read notes: " + e.getMessage(), e);
        }
        notes.sort(Comparator.comparingDouble(Note::timestamp).thenComparing(Note::createdAt).thenComparing(Note::id));
        return notes;
    }

    @Override
    public List<VideoSummary> videosOf(String username) {
        List<VideoSummary> videos = new ArrayList<>();
        try {
            List<Bson> pipeline = List.of(
                    Aggregates.match(Filters.eq(USER, username)),
                    Aggregates.project(new Document(VIDEO_KEY, 1).append(VIDEO_URL, 1).append(STORED_AT, 1)
                            .append("count", new Document("$size", "$" + NOTES))),
                    Aggregates.group("$" + VIDEO_KEY,
                            Accumulators.first(VIDEO_URL, "$" + VIDEO_URL),
                            Accumulators.sum("count", "$count"),
                            Accumulators.max(STORED_AT, "$" + STORED_AT)),
                    Aggregates.sort(Sorts.descending(STORED_AT)));
            for (Document video : packets.aggregate(pipeline)) {
                videos.add(new VideoSummary(video.getString("_id"), video.getString(VIDEO_URL),
                        ((Number) video.get("count")).longValue(), video.getDate(STORED_AT).toInstant()));
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read videos: " + e.getMessage(), e);
        }
        return videos;
    }

    @Override
    public boolean isAvailable() {
        return connection.ping();
    }

    @Override
    public void close() {
        writer.close();
    }
}
