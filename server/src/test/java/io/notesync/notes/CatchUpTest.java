package io.notesync.notes;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static io.notesync.notes.NotesCursorTest.T;
import static io.notesync.notes.NotesCursorTest.deleted;
import static io.notesync.notes.NotesCursorTest.edited;
import static io.notesync.notes.NotesCursorTest.id;
import static io.notesync.notes.NotesCursorTest.note;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CatchUpTest {

    private static List<String> ids(List<StoredNote> notes) {
        return notes.stream().map(StoredNote::id).toList();
    }

    /** What a repository read from the cursor returns: notes created or changed after its readFrom(). */
    private static List<StoredNote> readAfter(NotesCursor cursor, StoredNote... all) {
        return Stream.of(all).filter(n -> n.note().createdAt().isAfter(cursor.readFrom())
                || n.changedAt() != null && n.changedAt().isAfter(cursor.readFrom())).toList();
    }

    @Test
    void withoutACursorOnlyLiveNotesAreListed() {
        StoredNote live = note(id(1), T);
        StoredNote gone = deleted(note(id(2), T), T.plusSeconds(1));
        CatchUp all = CatchUp.of(null, List.of(live, gone));
        assertEquals(List.of(id(1)), ids(all.notes()));
        assertEquals(List.of(), all.updated());
        assertEquals(List.of(), all.deleted());
    }

    @Test
    void theNextReadLeavesOutWhatTheCursorHasSeen() {
        StoredNote seen = note(id(1), T);
        NotesCursor cursor = CatchUp.of(null, List.of(seen)).cursor();
        StoredNote later = note(id(2), T.plusMillis(10));
        assertEquals(List.of(id(2)), ids(CatchUp.of(cursor, List.of(seen, later)).notes()));
    }

    @Test
    void aNoteStampedBeforeTheCursorButWrittenAfterItIsNotMissed() {
        NotesCursor cursor = CatchUp.of(null, List.of(note(id(1), T))).cursor();
        StoredNote lateWrite = note(id(2), T.minusMillis(300));
        // Through the read a repository makes from the cursor: it must reach back far enough to find it.
        assertEquals(List.of(id(2)), ids(CatchUp.of(cursor, readAfter(cursor, note(id(1), T), lateWrite)).notes()));
    }

    @Test
    void anEditAndADeleteAfterTheCursorAreReportedOnceEach() {
        StoredNote a = note(id(1), T.minusSeconds(60));
        StoredNote b = note(id(2), T.minusSeconds(60));
        NotesCursor first = CatchUp.of(null, List.of(a, b)).cursor();

        StoredNote aEdited = edited(a, T.plusSeconds(1), "better");
        StoredNote bDeleted = deleted(b, T.plusSeconds(2));
        CatchUp second = CatchUp.of(first, readAfter(first, aEdited, bDeleted));
        assertEquals(List.of(), second.notes());
        assertEquals(List.of(id(1)), ids(second.updated()));
        assertEquals("better", second.updated().get(0).note().text());
        assertEquals(List.of(id(2)), second.deleted());

        CatchUp third = CatchUp.of(second.cursor(), readAfter(second.cursor(), aEdited, bDeleted));
        assertEquals(List.of(), third.notes());
        assertEquals(List.of(), third.updated());
        assertEquals(List.of(), third.deleted());
    }

    @Test
    void aSecondEditOfANoteAlreadyReportedIsReportedAgain() {
        StoredNote a = note(id(1), T.minusSeconds(60));
        StoredNote once = edited(a, T, "once");
        NotesCursor cursor = CatchUp.of(null, List.of(once)).cursor();
        StoredNote twice = edited(once, T.plusMillis(1), "twice");
        CatchUp next = CatchUp.of(cursor, readAfter(cursor, twice));
        assertEquals(List.of(id(1)), ids(next.updated()));
        assertEquals("twice", next.updated().get(0).note().text());
    }

    @Test
    void anEditStampedBeforeTheCursorButWrittenAfterItIsNotMissed() {
        StoredNote a = note(id(1), T.minusSeconds(60));
        StoredNote b = note(id(2), T);
        NotesCursor cursor = CatchUp.of(null, List.of(a, b)).cursor();
        StoredNote lateEdit = edited(a, T.minusMillis(300), "late");
        assertEquals(List.of(id(1)), ids(CatchUp.of(cursor, readAfter(cursor, lateEdit, b)).updated()));
    }

    @Test
    void aNoteCreatedAndEditedSinceComesOnceWithItsNewText() {
        NotesCursor cursor = CatchUp.of(null, List.of(note(id(9), T))).cursor();
        StoredNote fresh = edited(note(id(1), T.plusSeconds(1)), T.plusSeconds(2), "fixed");
        CatchUp next = CatchUp.of(cursor, readAfter(cursor, fresh));
        assertEquals(List.of(id(1)), ids(next.notes()));
        assertEquals("fixed", next.notes().get(0).note().text());
        assertEquals(List.of(), next.updated());
        assertEquals(List.of(), CatchUp.of(next.cursor(), readAfter(next.cursor(), fresh)).updated());
    }

    @Test
    void aNoteCreatedAndDeletedSinceIsReportedDeletedNotNew() {
        NotesCursor cursor = CatchUp.of(null, List.of(note(id(9), T))).cursor();
        StoredNote gone = deleted(note(id(1), T.plusSeconds(1)), T.plusSeconds(2));
        CatchUp next = CatchUp.of(cursor, readAfter(cursor, gone));
        assertEquals(List.of(), next.notes());
        assertEquals(List.of(id(1)), next.deleted());
    }

    @Test
    void aDeletionSeenInTheFirstReadIsNotReportedLater() {
        StoredNote gone = deleted(note(id(1), T.minusSeconds(60)), T);
        NotesCursor cursor = CatchUp.of(null, List.of(gone)).cursor();
        assertEquals(List.of(), CatchUp.of(cursor, readAfter(cursor, gone)).deleted());
    }
}
