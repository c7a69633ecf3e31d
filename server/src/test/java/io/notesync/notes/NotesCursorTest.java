package io.notesync.notes;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NotesCursorTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    static StoredNote note(String id, Instant createdAt) {
        return new StoredNote(new Note(id, "text " + id, 1, createdAt), null, 0, false);
    }

    static StoredNote edited(StoredNote note, Instant at, String text) {
        Note n = note.note();
        return new StoredNote(new Note(n.id(), text, n.timestamp(), n.createdAt()), at, note.version() + 1, false);
    }

    static StoredNote deleted(StoredNote note, Instant at) {
        Note n = note.note();
        return new StoredNote(new Note(n.id(), "", n.timestamp(), n.createdAt()), at, note.version() + 1, true);
    }

    static String id(int n) {
        return String.format("%024x", n);
    }

    @Test
    void aCursorRoundTripsThroughItsText() {
        NotesCursor cursor = new NotesCursor(T, Set.of(id(1), id(2), id(3) + ".2"));
        assertEquals(cursor, NotesCursor.decode(cursor.encode()));
    }

    @Test
    void theCursorKeepsOnlyWhatLiesWithinTheOverlap() {
        StoredNote old = note(id(1), T.minus(NotesCursor.OVERLAP).minusSeconds(1));
        StoredNote recent = note(id(2), T);
        NotesCursor cursor = NotesCursor.after(null, List.of(old, recent));
        assertEquals(T, cursor.at());
        assertEquals(Set.of(id(2)), cursor.seen());
    }

    @Test
    void anEditMovesTheCursorAndIsRememberedByItsVersion() {
        StoredNote old = note(id(1), T.minusSeconds(60));
        NotesCursor cursor = NotesCursor.after(null, List.of(edited(old, T, "new")));
        assertEquals(T, cursor.at());
        assertEquals(Set.of(id(1) + ".1"), cursor.seen());
    }

    @Test
    void anEmptyReadKeepsThePreviousPosition() {
        NotesCursor previous = new NotesCursor(T, Set.of(id(1)));
        assertEquals(T, NotesCursor.after(previous, List.of()).at());
    }

    @Test
    void textThatIsNotACursorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NotesCursor.decode("yesterday"));
        assertThrows(IllegalArgumentException.class, () -> NotesCursor.decode("!!!"));
        assertThrows(IllegalArgumentException.class,
                () -> NotesCursor.decode(new NotesCursor(T, Set.of(id(1) + ".x")).encode()));
    }
}
