package io.notesync.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Something that holds bytes for a peer which the peer has not taken yet: a channel's unsent
 * output ({@link ChannelOutputMeter}) or a session's packets queued for its next poll
 * ({@link HeldPacketQueue}). {@link OutputBudget} counts every holder and cuts one off when it is
 * over its own bound or, largest first, when all of them together are over the process's.
 */
abstract class OutputHolder {

    private final AtomicBoolean cutOff = new AtomicBoolean();

    /** Bytes held now. Read from any thread. */
    abstract long held();

    /** What this holder may hold on its own before it is cut off; {@code Long.MAX_VALUE} for no bound of its own. */
    abstract long limit();

    /**
     * Ends whatever this holder holds for (the socket, or the connection), so its bytes are
     * released. Called once, off the event loops, by {@link OutputBudget}.
     */
    abstract void cutOff(String reason);

    /** True only for the first caller: a holder is cut off once. */
    final boolean markCutOff() {
        return cutOff.compareAndSet(false, true);
    }

    final boolean isCutOff() {
        return cutOff.get();
    }
}
