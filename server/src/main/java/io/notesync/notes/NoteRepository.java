package io.notesync.notes;

import io.notesync.storage.StorageUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;

/**
 * Where packets are kept. Implementations must make {@link #store} idempotent on
 * (username, packetId) in the database itself, and complete the future only after the write is
 * durable; they must never complete it on the caller's thread by blocking. An edit or a delete is
 * one atomic change of the stored packet, so a resent packet (a duplicate) never undoes it.
 */
public interface NoteRepository {

    /** An id for a new note, unique in this store; the note keeps it for life. */
    String newNoteId();

    /** Stores the packet whole, or finds it stored already. Fails with {@link StorageUnavailableException}. */
    CompletableFuture<StoreOutcome> store(StoredPacket packet);

    /**
     * A user's notes of one video, deleted ones included (as tombstones), ordered by timestamp then
     * createdAt. With {@code since}: only those of packets stored or changed after it (a superset
     * of what changed after it; {@link CatchUp} picks out what the client has not seen).
     */
    List<StoredNote> read(String username, String videoKey, Instant since);

    /** Replaces the text of the user's note {@code noteId}; empty when the user has no such note (or it is deleted). */
    Optional<ChangedNote> edit(String username, String noteId, String text, Instant at);

    /** Deletes the user's note {@code noteId}, leaving a tombstone stamped {@code at}. */
    DeleteOutcome delete(String username, String noteId, Instant at);

    /** A user's videos with note counts, most recently updated first. */
    List<VideoSummary> videosOf(String username);

    /**
     * Hands every video of the user with its live notes to {@code sink}, one video at a time (so
     * an export can stream: no more than one video's notes is held at once). Blocking.
     */
    void exportAll(String username, Consumer<VideoExport> sink);

    /**
     * Removes every packet and note of the user, tombstones included, so that a later user of the
     * same name starts empty; returns how many live notes went. Blocking.
     */
    long removeAllOf(String username);

    /** True when the database answers now. */
    boolean isAvailable();
}
