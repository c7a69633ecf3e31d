package io.notesync.notes;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NotesCursorTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private static Note note(String id, Instant createdAt) {
        return new Note(id, "text " + id, 1, createdAt);
    }

    private static String id(int n) {
        return String.format("%024x", n);
    }

    @Test
    void aCursorRoundTripsThroughItsText() {
        NotesCursor cursor = new NotesCursor(T, Set.of(id(1), id(2)));
        assertEquals(cursor, NotesCursor.decode(cursor.encode()));
    }

    @Test
    void theNextReadLeavesOutWhatTheCursorHasSeen() {
        Note seen = note(id(1), T);
        NotesCursor cursor = NotesCursor.after(null, List.of(seen));
        Note later = note(id(2), T.plusMillis(10));
        assertEquals(List.of(later), NotesCursor.unseen(cursor, List.of(seen, later)));
    }

    @Test
    void aNoteStampedBeforeTheCursorButWrittenAfterItIsNotMissed() {
        NotesCursor cursor = NotesCursor.after(null, List.of(note(id(1), T)));
        Note lateWrite = note(id(2), T.minusMillis(300));
        assertEquals(List.of(lateWrite), NotesCursor.unseen(cursor, List.of(note(id(1), T), lateWrite)));
    }

    @Test
    void theCursorKeepsOnlyTheIdsWithinTheOverlap() {
        Note old = note(id(1), T.minus(NotesCursor.OVERLAP).minusSeconds(1));
        Note recent = note(id(2), T);
        NotesCursor cursor = NotesCursor.after(null, List.of(old, recent));
        assertEquals(T, cursor.at());
        assertEquals(Set.of(id(2)), cursor.seen());
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
    }
}
