package io.notesync.notes;

/**
 * Size limits a packet must keep: how many notes it may carry and how long (in Unicode code
 * points, after cleaning) each note's text may be.
 */
public record PacketLimits(int maxNotesPerPacket, int maxNoteChars) {

    /** 100 notes per packet, 10,000 characters per note, as docs/protocol.md says. */
    public static final PacketLimits DEFAULTS = new PacketLimits(100, 10_000);

    public PacketLimits {
        if (maxNotesPerPacket < 1) {
            throw new IllegalArgumentException("maxNotesPerPacket must be at least 1, got " + maxNotesPerPacket);
        }
        if (maxNoteChars < 1) {
            throw new IllegalArgumentException("maxNoteChars must be at least 1, got " + maxNoteChars);
        }
    }

    /**
     * Why a note text, already cleaned, is too long for {@code maxNoteChars} (the message names
     * {@code field}), or null when it fits. One rule for packet notes and edits alike.
     */
    String noteTooLong(String field, String cleaned) {
        int length = cleaned.codePointCount(0, cleaned.length());
        return length > maxNoteChars
                ? field + " must be at most " + maxNoteChars + " characters after cleaning, got " + length
                : null;
    }
}
