package io.notesync.notes;

import java.util.List;

/** A packet that passed validation: cleaned notes (at least one), canonical video. */
public record ValidPacket(String packetId, Video video, List<NoteDraft> notes) {
    public ValidPacket {
        notes = List.copyOf(notes);
    }
}
