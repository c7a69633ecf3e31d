package io.notesync.engine;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Something that holds bytes for a peer which the peer has not taken yet: a channel's unsent
 * output ({@link ChannelOutputMeter}) or a session's packets queued for its next poll
 * ({@link HeldPacketQueue}). {@link OutputBudget} counts every holder and cuts one off when it is
 * over its own bound or, largest first, when all of them together are over the process's.
 */
abstract class OutputHolder {

    private static final AtomicIntegerFieldUpdater<OutputHolder> CUT_OFF =
            AtomicIntegerFieldUpdater.newUpdater(OutputHolder.class, "cutOff");
    /** 1 once cut off. A field and an updater rather than an AtomicBoolean: three holders per socket. */
    private volatile int cutOff;

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
        return CUT_OFF.compareAndSet(this, 0, 1);
    }

    final boolean isCutOff() {
        return cutOff == 1;
    }
}
