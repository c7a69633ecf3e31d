package io.notesync.store;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.notesync.config.NotesyncConfig;
import io.notesync.notes.ChangedNote;
import io.notesync.notes.DeleteOutcome;
import io.notesync.notes.NoteRepository;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredNote;
import io.notesync.notes.StoredPacket;
import io.notesync.notes.VideoExport;
import io.notesync.notes.VideoSummary;
import org.bson.types.ObjectId;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.notesync.store.PacketDocuments.CHANGED_AT;
import static io.notesync.store.PacketDocuments.DELETED_COUNT;
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
     * non-unique indexes and scans instead (mongo-java-server: "not yet implemented"). Idempotency needs none: it is the _id.
     */
    private void createIndexes() {
        try {
            packets.createIndex(Indexes.ascending(USER, VIDEO_KEY, STORED_AT), new IndexOptions().name("user_video_storedAt"));
            packets.createIndex(Indexes.compoundIndex(Indexes.ascending(USER), Indexes.descending(STORED_AT)),
                    new IndexOptions().name("user_storedAt"));
            // Edits and deletes find a note's packet by the note id; since-reads look for changed packets.
            packets.createIndex(Indexes.ascending(USER, NOTES + "." + NOTE_ID), new IndexOptions().name("user_noteId"));
            packets.createIndex(Indexes.ascending(USER, VIDEO_KEY, CHANGED_AT), new IndexOptions().name("user_video_changedAt"));
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot reach MongoDB to create indexes: " + e.getMessage(), e);
        }
    }

    /** An ObjectId's hex: unique without coordination, and ordered roughly by creation time. */
    @Override
    public String newNoteId() {
        return new ObjectId().toHexString();
    }

    @Override
    public CompletableFuture<StoreOutcome> store(StoredPacket packet) {
        return writer.submit(packet).orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<StoredNote> read(String username, String videoKey, Instant since) {
        Bson filter = Filters.and(Filters.eq(USER, username), Filters.eq(VIDEO_KEY, videoKey));
        if (since != null) {
            Date from = Date.from(since);
            filter = Filters.and(filter, Filters.or(Filters.gt(STORED_AT, from), Filters.gt(CHANGED_AT, from)));
        }
        List<StoredNote> notes = new ArrayList<>();
        try {
            for (Document packet : packets.find(filter).projection(new Document(NOTES, 1))) {
                notes.addAll(PacketDocuments.notesOf(packet));
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read notes: " + e.getMessage(), e);
        }
        notes.sort(Comparator.comparingDouble((StoredNote stored) -> stored.note().timestamp())
                .thenComparing(stored -> stored.note().createdAt())
                .thenComparing(StoredNote::id));
        return notes;
    }

    /**
     * One findOneAndUpdate: the filter matches the user's packet holding this note only while the
     * note is not deleted, and the positional {@code $} changes that note, so an edit racing a delete
     * either lands before it or finds nothing. Note ids are unique (ObjectIds), so at most one
     * packet matches. The packet's {@code changedAt} takes the newest stamp ({@code $max}): stamps
     * from two nodes may land out of order.
     */
    @Override
    public Optional<ChangedNote> edit(String username, String noteId, String text, Instant at) {
        Date stamp = Date.from(at);
        try {
            Document packet = packets.findOneAndUpdate(liveNote(username, noteId),
                    Updates.combine(
                            Updates.set(NOTES + ".$." + NOTE_TEXT, text),
                            Updates.set(NOTES + ".$." + NOTE_CHANGED_AT, stamp),
                            Updates.inc(NOTES + ".$." + NOTE_VERSION, 1),
                            Updates.max(CHANGED_AT, stamp)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (packet == null) {
                return Optional.empty();
            }
            return Optional.of(new ChangedNote(packet.getString(VIDEO_KEY), PacketDocuments.noteOf(packet, noteId)));
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot edit a note: " + e.getMessage(), e);
        }
    }

    /** Like {@link #edit}; the text is emptied, so a deleted note's words do not stay in the database. */
    @Override
    public DeleteOutcome delete(String username, String noteId, Instant at) {
        Date stamp = Date.from(at);
        try {
            Document packet = packets.findOneAndUpdate(liveNote(username, noteId),
                    Updates.combine(
                            Updates.set(NOTES + ".$." + NOTE_DELETED, true),
                            Updates.set(NOTES + ".$." + NOTE_TEXT, ""),
                            Updates.set(NOTES + ".$." + NOTE_CHANGED_AT, stamp),
                            Updates.inc(NOTES + ".$." + NOTE_VERSION, 1),
                            Updates.inc(DELETED_COUNT, 1),
                            Updates.max(CHANGED_AT, stamp)),
                    new FindOneAndUpdateOptions().projection(new Document(VIDEO_KEY, 1)));
            if (packet != null) {
                return DeleteOutcome.deleted(packet.getString(VIDEO_KEY));
            }
            boolean exists = packets.find(Filters.and(Filters.eq(USER, username), Filters.eq(NOTES + "." + NOTE_ID, noteId)))
                    .projection(new Document("_id", 1)).first() != null;
            return exists ? DeleteOutcome.ALREADY_DELETED : DeleteOutcome.NOT_FOUND;
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot delete a note: " + e.getMessage(), e);
        }
    }

    /** The user's packet that holds {@code noteId}, not deleted: another user's note never matches. */
    private static Bson liveNote(String username, String noteId) {
        return Filters.and(Filters.eq(USER, username),
                Filters.elemMatch(NOTES, Filters.and(Filters.eq(NOTE_ID, noteId), Filters.ne(NOTE_DELETED, true))));
    }

    @Override
    public List<VideoSummary> videosOf(String username) {
        List<VideoSummary> videos = new ArrayList<>();
        try {
            List<Bson> pipeline = List.of(
                    Aggregates.match(Filters.eq(USER, username)),
                    Aggregates.project(new Document(VIDEO_KEY, 1).append(VIDEO_URL, 1).append(STORED_AT, 1)
                            .append("count", new Document("$subtract", List.of(
                                    new Document("$size", "$" + NOTES),
                                    new Document("$ifNull", List.of("$" + DELETED_COUNT, 0)))))),
                    Aggregates.group("$" + VIDEO_KEY,
                            Accumulators.first(VIDEO_URL, "$" + VIDEO_URL),
                            Accumulators.sum("count", "$count"),
                            Accumulators.max(STORED_AT, "$" + STORED_AT)),
                    // A video whose notes were all deleted is no longer one of the user's videos.
                    Aggregates.match(Filters.gt("count", 0)),
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

    /**
     * The user's video keys first (one aggregation, small: a key and a URL per video), then one
     * {@link #read} per video, so at most one video's notes are in memory at a time.
     */
    @Override
    public void exportAll(String username, Consumer<VideoExport> sink) {
        List<Document> videos = new ArrayList<>();
        try {
            packets.aggregate(List.of(
                    Aggregates.match(Filters.eq(USER, username)),
                    Aggregates.group("$" + VIDEO_KEY, Accumulators.first(VIDEO_URL, "$" + VIDEO_URL)),
                    Aggregates.sort(Sorts.ascending("_id")))).into(videos);
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read videos: " + e.getMessage(), e);
        }
        for (Document video : videos) {
            List<StoredNote> live = new ArrayList<>();
            for (StoredNote note : read(username, video.getString("_id"), null)) {
                if (!note.deleted()) {
                    live.add(note);
                }
            }
            if (!live.isEmpty()) {
                sink.accept(new VideoExport(video.getString("_id"), video.getString(VIDEO_URL), live));
            }
        }
    }

    @Override
    public long removeAllOf(String username) {
        try {
            long live = 0;
            for (Document counted : packets.aggregate(List.of(
                    Aggregates.match(Filters.eq(USER, username)),
                    Aggregates.project(new Document("count", new Document("$subtract", List.of(
                            new Document("$size", "$" + NOTES),
                            new Document("$ifNull", List.of("$" + DELETED_COUNT, 0)))))),
                    Aggregates.group(null, Accumulators.sum("count", "$count"))))) {
                live = ((Number) counted.get("count")).longValue();
            }
            packets.deleteMany(Filters.eq(USER, username));
            return live;
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot remove the notes: " + e.getMessage(), e);
        }
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
