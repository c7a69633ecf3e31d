package io.notesync.notes;

/**
 * Size limits a packet must keep: how many notes it may carry and how long (in Unicode code
 * points, after cleaning) each note's text may be.
 */
public record PacketLimits(int maxNotesPerPacket, int maxNoteChars, double maxTimestampSeconds) {

    /** One week: no video a note is taken on is longer; 1e308 seconds is not a position. */
    public static final double DEFAULT_MAX_TIMESTAMP_SECONDS = 604_800;

    /** 100 notes per packet, 10,000 characters per note, a week of video time, as docs/protocol.md says. */
    public static final PacketLimits DEFAULTS = new PacketLimits(100, 10_000, DEFAULT_MAX_TIMESTAMP_SECONDS);

    public PacketLimits(int maxNotesPerPacket, int maxNoteChars) {
        this(maxNotesPerPacket, maxNoteChars, DEFAULT_MAX_TIMESTAMP_SECONDS);
    }

    public PacketLimits {
        if (!(maxTimestampSeconds > 0)) {
            throw new IllegalArgumentException("maxTimestampSeconds must be > 0, got " + maxTimestampSeconds);
        }
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
    /** Why a timestamp (already a finite number >= 0) is too large (the message names {@code field}), or null. */
    String timestampTooLarge(String field, double timestamp) {
        return timestamp > maxTimestampSeconds
                ? field + " must be at most " + (long) maxTimestampSeconds + " seconds (limits.maxTimestampSeconds)"
                : null;
    }

    String noteTooLong(String field, String cleaned) {
        int length = cleaned.codePointCount(0, cleaned.length());
        return length > maxNoteChars
                ? field + " must be at most " + maxNoteChars + " characters after cleaning, got " + length
                : null;
    }
}
