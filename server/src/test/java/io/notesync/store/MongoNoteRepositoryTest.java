package io.notesync.store;

import io.notesync.config.NotesyncConfig;
import io.notesync.notes.CatchUp;
import io.notesync.notes.ChangedNote;
import io.notesync.notes.DeleteOutcome;
import io.notesync.notes.Note;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredNote;
import io.notesync.notes.StoredPacket;
import io.notesync.notes.Video;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits and deletes on the embedded store (mongo-java-server with H2), the one the tests and a
 * default install run on: its support of the positional {@code $}, {@code $elemMatch}, {@code $max}
 * and the count pipeline is what these depend on.
 */
class MongoNoteRepositoryTest {

    private static final Video VIDEO = new Video("youtube:abcdefghijk", "https://www.youtube.com/watch?v=abcdefghijk");

    @TempDir
    static Path dir;
    private static EmbeddedMongo embedded;
    private static MongoConnection connection;
    private static MongoNoteRepository repository;

    @BeforeAll
    static void start() {
        embedded = EmbeddedMongo.start(dir, 0);
        NotesyncConfig.MongoDb config = new NotesyncConfig.MongoDb(null, "notesync", "1", 5000);
        connection = new MongoConnection(embedded.connectionString(), config);
        repository = new MongoNoteRepository(connection, config, new NotesyncConfig.Writer(100, 1));
    }

    @AfterAll
    static void stop() {
        repository.close();
        connection.close();
        embedded.close();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static StoredPacket packet(String user, String... texts) {
        Instant at = now();
        List<Note> notes = java.util.Arrays.stream(texts)
                .map(text -> new Note(new ObjectId().toHexString(), text, 1.5, at)).toList();
        return new StoredPacket(user, UUID.randomUUID().toString(), VIDEO, notes, at);
    }

    private static String user() {
        return "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anEditChangesOneNoteOfThePacketAndSurvivesAResend() throws Exception {
        String user = user();
        StoredPacket packet = packet(user, "one", "two");
        assertEquals(StoreOutcome.STORED, repository.store(packet).get());
        String twoId = packet.notes().get(1).id();

        Instant at = now();
        Optional<ChangedNote> changed = repository.edit(user, twoId, "TWO", at);
        assertTrue(changed.isPresent());
        assertEquals(VIDEO.key(), changed.get().videoKey());
        assertEquals("TWO", changed.get().note().note().text());
        assertEquals(at, changed.get().note().updatedAt());

        assertEquals(StoreOutcome.DUPLICATE, repository.store(packet).get());
        List<StoredNote> read = repository.read(user, VIDEO.key(), null);
        assertEquals(List.of("one", "TWO"), read.stream().map(n -> n.note().text()).toList());
    }

    @Test
    void anotherUsersNoteCannotBeEditedOrDeleted() throws Exception {
        String owner = user();
        StoredPacket packet = packet(owner, "mine");
        repository.store(packet).get();
        String id = packet.notes().get(0).id();
        String other = user();
        assertEquals(Optional.empty(), repository.edit(other, id, "theirs", now()));
        assertEquals(DeleteOutcome.NOT_FOUND, repository.delete(other, id, now()));
        assertEquals("mine", repository.read(owner, VIDEO.key(), null).get(0).note().text());
    }

    @Test
    void aDeleteIsIdempotentKeepsThePacketAndIsNotUndoneByAResend() throws Exception {
        String user = user();
        StoredPacket packet = packet(user, "only");
        repository.store(packet).get();
        String id = packet.notes().get(0).id();

        assertEquals(DeleteOutcome.deleted(VIDEO.key()), repository.delete(user, id, now()));
        assertEquals(DeleteOutcome.ALREADY_DELETED, repository.delete(user, id, now()));
        assertEquals(Optional.empty(), repository.edit(user, id, "back?", now()));
        assertEquals(StoreOutcome.DUPLICATE, repository.store(packet).get());

        assertEquals(List.of(), CatchUp.of(null, repository.read(user, VIDEO.key(), null)).notes());
        assertEquals(List.of(), repository.videosOf(user));
    }

    @Test
    void videoCountsLeaveDeletedNotesOut() throws Exception {
        String user = user();
        StoredPacket packet = packet(user, "a", "b", "c");
        repository.store(packet).get();
        repository.delete(user, packet.notes().get(0).id(), now());
        assertEquals(2, repository.videosOf(user).get(0).noteCount());
    }

    @Test
    void aSinceReadFindsOldPacketsChangedAfterIt() throws Exception {
        String user = user();
        StoredPacket packet = packet(user, "a", "b");
        repository.store(packet).get();
        CatchUp first = CatchUp.of(null, repository.read(user, VIDEO.key(), null));
        // A cursor from well after the packet was stored: only its changes bring it back.
        Instant later = now().plusSeconds(60);
        var cursor = new io.notesync.notes.NotesCursor(later, java.util.Set.of());
        assertEquals(List.of(), repository.read(user, VIDEO.key(), cursor.readFrom()));

        repository.edit(user, packet.notes().get(0).id(), "A", later.plusMillis(1));
        repository.delete(user, packet.notes().get(1).id(), later.plusMillis(2));
        CatchUp next = CatchUp.of(cursor, repository.read(user, VIDEO.key(), cursor.readFrom()));
        assertEquals(List.of("A"), next.updated().stream().map(n -> n.note().text()).toList());
        assertEquals(List.of(packet.notes().get(1).id()), next.deleted());
        assertEquals(2, first.notes().size());
    }
}
