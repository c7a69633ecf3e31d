package io.notesync.store;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.notesync.store.PacketDocuments.CHANGED_AT;
import static io.notesync.store.PacketDocuments.NOTES;
import static io.notesync.store.PacketDocuments.STORED_AT;
import static io.notesync.store.PacketDocuments.VIDEO_KEY;
import static io.notesync.store.PacketDocuments.VIDEO_URL;

/** Notes in MongoDB, one document per packet (see {@link PacketDocuments}). */
public final class MongoNoteRepository implements NoteRepository, AutoCloseable {

    static final String COLLECTION = "packets";

    private final MongoConnection connection;
    private final MongoCollection<Document> packets;
    private final MongoCollection<Document> videos;
    private final UserChanges changes;
    private final NoteWriter writer;
    private final long timeoutMs;

    public MongoNoteRepository(MongoConnection connection, NotesyncConfig.MongoDb config, NotesyncConfig.Writer writerConfig) {
        this.timeoutMs = config.timeoutMs();
        this.connection = connection;
        this.packets = connection.database().getCollection(COLLECTION);
        this.videos = connection.database().getCollection(NoteLayout.VIDEOS);
        this.changes = new UserChanges(connection.database(), config.timeoutMs(), config.timeoutMs());
        dropOldIndexes();
        this.writer = new NoteWriter(UserChanges.unjournaled(packets), changes::link, writerConfig.maxBatchPackets(), writerConfig.inFlightBatches());
    }

    /**
     * None beyond {@code _id}: every read and write below is an equality or {@code $in} on it
     * ({@link NoteLayout}), which a real MongoDB serves from the {@code _id} index and the embedded
     * store from its own. The indexes of the old layout are dropped, since they would only cost
     * writes on a real MongoDB now.
     */
    private void dropOldIndexes() {
        try {
            for (String name : List.of("user_video_storedAt", "user_storedAt", "user_noteId", "user_video_changedAt")) {
                for (Document index : packets.listIndexes()) {
                    if (name.equals(index.getString("name"))) {
                        packets.dropIndex(name);
                    }
                }
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot reach MongoDB to drop old indexes: " + e.getMessage(), e);
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

    /**
     * noteUsers and noteChanges by {@code _id} (settling the user), noteVideos by {@code _id}, then the
     * video's packets by {@code _id $in}: the cost of this video's packets, whatever else is stored.
     * {@code since} is applied here, to packets already read.
     */
    @Override
    public List<StoredNote> read(String username, String videoKey, Instant since) {
        List<StoredNote> notes = new ArrayList<>();
        try {
            changes.settledUser(username);
            Document video = videos.find(Filters.eq("_id", NoteLayout.videoId(username, videoKey)))
                    .projection(new Document(NoteLayout.VIDEO_PACKETS, 1)).first();
            if (video == null) {
                return notes;
            }
            List<String> ids = video.getList(NoteLayout.VIDEO_PACKETS, String.class);
            for (Document packet : packets.find(Filters.in("_id", ids))
                    .projection(new Document(NOTES, 1).append(STORED_AT, 1).append(CHANGED_AT, 1))) {
                if (since == null || changedAfter(packet, since)) {
                    notes.addAll(PacketDocuments.notesOf(packet));
                }
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read notes: " + e.getMessage(), e);
        }
        notes.sort(Comparator.comparingDouble((StoredNote stored) -> stored.note().timestamp())
                .thenComparing(stored -> stored.note().createdAt())
                .thenComparing(StoredNote::id));
        return notes;
    }

    private static boolean changedAfter(Document packet, Instant since) {
        Date changedAt = packet.getDate(CHANGED_AT);
        return packet.getDate(STORED_AT).toInstant().isAfter(since) || (changedAt != null && changedAt.toInstant().isAfter(since));
    }

    /** noteIds and the packet by {@code _id}, then the change claimed in noteChanges by {@code _id} ({@link UserChanges}). */
    @Override
    public Optional<ChangedNote> edit(String username, String noteId, String text, Instant at) {
        return changes.edit(username, noteId, text, at);
    }

    /** Like {@link #edit}; the text is emptied, so a deleted note's words do not stay in the database. */
    @Override
    public DeleteOutcome delete(String username, String noteId, Instant at) {
        return changes.delete(username, noteId, at);
    }

    /** noteUsers by {@code _id} (the video keys), then noteVideos by {@code _id $in}: the cost of this user's videos. */
    @Override
    public List<VideoSummary> videosOf(String username) {
        List<VideoSummary> summaries = new ArrayList<>();
        try {
            Document user = changes.settledUser(username);
            List<String> keys = user.getList(NoteLayout.USER_VIDEOS, String.class, List.of());
            if (keys.isEmpty()) {
                return summaries;
            }
            List<String> ids = new ArrayList<>(keys.size());
            for (String key : keys) {
                ids.add(NoteLayout.videoId(username, key));
            }
            for (Document video : videos.find(Filters.in("_id", ids)).projection(new Document(VIDEO_KEY, 1)
                    .append(VIDEO_URL, 1).append(NoteLayout.LIVE, 1).append(NoteLayout.LAST, 1))) {
                long live = ((Number) video.get(NoteLayout.LIVE, 0L)).longValue();
                // A video whose notes were all deleted is no longer one of the user's videos.
                if (live > 0) {
                    summaries.add(new VideoSummary(video.getString(VIDEO_KEY), video.getString(VIDEO_URL), live,
                            video.getDate(NoteLayout.LAST).toInstant()));
                }
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read videos: " + e.getMessage(), e);
        }
        summaries.sort(Comparator.comparing(VideoSummary::lastUpdated).reversed());
        return summaries;
    }

    /**
     * noteUsers by {@code _id} (the video keys), noteVideos by {@code _id $in} (their URLs), then
     * one {@link #read} per video, so at most one video's notes are in memory at a time.
     */
    @Override
    public void exportAll(String username, Consumer<VideoExport> sink) {
        Map<String, String> urls = new TreeMap<>();
        try {
            Document user = changes.settledUser(username);
            List<String> ids = new ArrayList<>();
            for (String key : user.getList(NoteLayout.USER_VIDEOS, String.class, List.of())) {
                ids.add(NoteLayout.videoId(username, key));
            }
            if (!ids.isEmpty()) {
                for (Document video : videos.find(Filters.in("_id", ids)).projection(new Document(VIDEO_KEY, 1).append(VIDEO_URL, 1))) {
                    urls.put(video.getString(VIDEO_KEY), video.getString(VIDEO_URL));
                }
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read videos: " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> video : urls.entrySet()) {
            List<StoredNote> live = new ArrayList<>();
            for (StoredNote note : read(username, video.getKey(), null)) {
                if (!note.deleted()) {
                    live.add(note);
                }
            }
            if (!live.isEmpty()) {
                sink.accept(new VideoExport(video.getKey(), video.getValue(), live));
            }
        }
    }

    /** Everything the user's lookups reach, by {@code _id} ({@link UserChanges#removeAll}). */
    @Override
    public long removeAllOf(String username) {
        return changes.removeAll(username);
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
