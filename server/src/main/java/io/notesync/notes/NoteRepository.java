package io.notesync.notes;

import io.notesync.storage.StorageUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where packets are kept. Implementations must make {@link #store} idempotent on
 * (username, packetId) in the database itself, and complete the future only after the write is
 * durable; they must never complete it on the caller's thread by blocking.
 */
public interface NoteRepository {

    /** An id for a new note, unique in this store; the note keeps it for life. */
    String newNoteId();

    /** Stores the packet whole, or finds it stored already. Fails with {@link StorageUnavailableException}. */
    CompletableFuture<StoreOutcome> store(StoredPacket packet);

    /** A user's notes of one video stored after {@code since} (null: all), ordered by timestamp then createdAt. */
    List<Note> notesOf(String username, String videoKey, Instant since);

    /** A user's videos with note counts, most recently updated first. */
    List<VideoSummary> videosOf(String username);

    /** True when the database answers now. */
    boolean isAvailable();
}
