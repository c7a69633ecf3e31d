package io.notesync.notes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class NoteEditTest {

    private static final PacketLimits LIMITS = new PacketLimits(100, 5);

    @Test
    void textIsCleanedLikeAPacketNote() {
        assertEquals(new NoteEdit.Text("a\nb"), NoteEdit.text("  a\r\nb\u0007 ", LIMITS));
    }

    @Test
    void theLimitCountsCharactersAfterCleaning() {
        assertEquals(new NoteEdit.Text("12345"), NoteEdit.text(" 12345 ", LIMITS));
        NoteEdit.Problem tooLong = assertInstanceOf(NoteEdit.Problem.class, NoteEdit.text("123456", LIMITS));
        assertEquals(PacketProblem.Kind.TOO_LARGE, tooLong.kind());
        assertEquals("text", tooLong.field());
    }

    @Test
    void missingWrongTypeAndEmptyTextAreInvalid() {
        for (Object bad : new Object[] {null, 42, " \u0000 "}) {
            NoteEdit.Problem problem = assertInstanceOf(NoteEdit.Problem.class, NoteEdit.text(bad, LIMITS));
            assertEquals(PacketProblem.Kind.INVALID, problem.kind());
            assertEquals("text", problem.field());
        }
    }
}
