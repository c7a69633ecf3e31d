package io.notesync.notes;

import java.util.Objects;

/** The outcome of {@link PacketParser#parse}: a packet ready to store, or why it cannot be. */
public sealed interface ParseResult {

    /** The packet is valid; its notes are cleaned and its video canonical. */
    record Accepted(ValidPacket packet) implements ParseResult {
        public Accepted {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** The packet cannot be accepted as sent. */
    record Rejected(PacketProblem problem) implements ParseResult {
        public Rejected {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
