package io.notesync.engine;

import io.netty.util.internal.PlatformDependent;
import io.notesync.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server holds for peers that have not taken it: every WebSocket's and HTTP
 * connection's unsent output and every polling session's queued packets, counted as they are
 * written, queued, sent and dropped. Two bounds:
 * <ul>
 *   <li>a socket's own ({@code socketio.maxBufferedBytes}): a socket over it is cut off at once;</li>
 *   <li>the process's ({@code socketio.maxBufferedBytesTotal}, by default sized from the JVM's
 *       direct memory and heap limits): when everything held is over it, the largest holders are
 *       cut off first, until what is left is under three quarters of it.</li>
 * </ul>
 * Direct memory is one pool for the whole process, shared with the embedded store (whose
 * allocations notesync cannot bound); bounding what notesync's channels hold is what leaves the
 * store its headroom. Cut-offs run on a thread of their own, never on an event loop's stack
 * inside a write or a broadcast.
 */
public final class OutputBudget implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutputBudget.class);

    /** How soon the budget is looked at again while cut-off holders are still releasing their bytes. */
    private static final long RECHECK_MS = 50;

    private final long perSocket;
    private final long total;
    private final AtomicLong held = new AtomicLong();
    private final Set<OutputHolder> holders = ConcurrentHashMap.newKeySet();
    private final LongAdder slowConsumers = new LongAdder();
    private final LongAdder overBudget = new LongAdder();
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("output-budget"));

    /**
     * @param perSocket what one socket may hold
     * @param total     what all holders together may hold; 0 picks {@link #defaultTotal()}
     */
    public OutputBudget(long perSocket, long total) {
        this.perSocket = perSocket;
        this.total = total > 0 ? total : defaultTotal();
    }

    /**
     * A quarter of the direct memory the JVM allows (Netty's view of {@code -XX:MaxDirectMemorySize},
     * the heap maximum when unset), and at most an eighth of the heap maximum, since polling queues
     * hold their packets on the heap: 32 MiB under {@code bin/notesync}'s 128m and 512m. The rest
     * of the direct pool is the store's and Netty's own (read buffers, pool chunks half used).
     */
    public static long defaultTotal() {
        long direct = PlatformDependent.maxDirectMemory();
        long heap = Runtime.getRuntime().maxMemory();
        return Math.max(1L << 20, Math.min(direct / 4, heap / 8));
    }

    long perSocket() {
        return perSocket;
    }

    public long total() {
        return total;
    }

    /** Bytes held for peers right now, all holders together. */
    public long held() {
        return held.get();
    }

    /** Sockets cut off because they alone held more than {@code socketio.maxBufferedBytes}. */
    public long slowConsumersCutOff() {
        return slowConsumers.sum();
    }

    /** Sockets and connections cut off (largest first) because everything held was over the process budget. */
    public long cutOffOverBudget() {
        return overBudget.sum();
    }

    /**
     * {@code holder} now holds {@code delta} bytes more (or fewer, when negative), {@code heldNow}
     * in all. Called on any thread, in the order of the holder's own changes; never blocks: a
     * cut-off it decides on runs on the budget's own thread. Only holders that hold something are
     * kept track of (most sockets, most of the time, hold nothing).
     */
    void changed(OutputHolder holder, long delta, long heldNow) {
        if (heldNow <= 0) {
            holders.remove(holder);
        } else if (heldNow == delta) {
            holders.add(holder);
        }
        long all = held.addAndGet(delta);
        if (delta <= 0) {
            return;
        }
        if (heldNow > holder.limit() && holder.markCutOff()) {
            slowConsumers.increment();
            cutter.execute(() -> holder.cutOff("slow consumer (" + heldNow + " bytes held)"));
        }
        if (all > total && trimming.compareAndSet(false, true)) {
            cutter.execute(this::trim);
        }
    }

    /** Cuts off the largest holders until what is left is under three quarters of the budget. */
    private void trim() {
        try {
            long all = held.get();
            if (all <= total) {
                return;
            }
            List<OutputHolder> largest = new ArrayList<>(holders);
            largest.sort(Comparator.comparingLong(OutputHolder::held).reversed());
            long left = all;
            for (OutputHolder holder : largest) {
                if (left <= total / 4 * 3) {
                    break;
                }
                long own = holder.held();
                if (own == 0) {
                    break;
                }
                if (holder.markCutOff()) {
                    overBudget.increment();
                    holder.cutOff("slow consumer (" + own + " bytes held; the server held " + all
                            + " bytes for peers, over its budget of " + total + ")");
                }
                left -= own;
            }
        } catch (RuntimeException e) {
            log.error("could not bring the bytes held for peers under the budget", e);
        } finally {
            trimming.set(false);
        }
        if (held.get() > total && trimming.compareAndSet(false, true)) {
            // What was cut off is released on its event loop; look again once it had the chance.
            cutter.schedule(this::trim, RECHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        cutter.shutdownNow();
    }
}
