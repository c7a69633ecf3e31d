package io.notesync.notes;

/** What the database said about one packet. */
public enum StoreOutcome {
    STORED,
    /** The user had already stored this packetId: nothing was written. */
    DUPLICATE
}
