package io.notesync.notes;

import java.time.Instant;
import java.util.List;

/** One packet as it is stored: all of its notes together, so it is stored whole or not at all. */
public record StoredPacket(String username, String packetId, Video video, List<Note> notes, Instant storedAt) {
    public StoredPacket {
        notes = List.copyOf(notes);
    }
}
