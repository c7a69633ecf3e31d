package io.notesync.socket;

/** How a packet ended: the one answer it got, as {@link PacketStats} counts it. */
public enum PacketOutcome {
    STORED, DUPLICATE, INVALID, UNAUTHORIZED, RATE_LIMITED, STORAGE_UNAVAILABLE, INTERNAL
}
