package io.notesync.socket;

import java.time.Duration;

/** What the packet flow reports about its packets (implemented by the metrics). Called on any thread; never blocks. */
public interface PacketStats {

    /** A packet got its answer. */
    void answered(PacketOutcome outcome);

    /** From hand-off to the store until the database acknowledged. */
    void stored(Duration latency);
}
