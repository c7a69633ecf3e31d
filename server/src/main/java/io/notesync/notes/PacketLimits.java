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
}
