package io.notesync.notes;

/**
 * Why a packet cannot be accepted as sent. {@code field} names the offending part in the
 * client's terms ({@code notes[1].timestamp}); {@code packetId} is null when it was not readable.
 */
public record PacketProblem(Kind kind, String packetId, String field, String message) {

    public enum Kind {
        /** The shape or a value is wrong. */
        INVALID,
        /** Within the rules but over a configured size limit. */
        TOO_LARGE
    }
}
