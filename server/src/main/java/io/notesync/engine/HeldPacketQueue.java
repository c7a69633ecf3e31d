package io.notesync.engine;

import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.Packet;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A session's outgoing packet queue, in place of netty-socketio's unbounded one, counting what it
 * holds. netty-socketio's {@code ClientHead.send} appends every packet to the queue of the
 * session's transport and only then writes what is queued to the transport's channel, if any: on
 * WebSocket the queue empties at once into the channel (where {@link ChannelOutputMeter} counts the
 * bytes), on long-polling it holds everything sent since the last poll. So this queue is where a
 * polling session that stopped polling accumulates, and what {@link OutputBudget} bounds for it.
 * One queue serves both transports of a session (netty-socketio hands the polling queue to the
 * WebSocket at the upgrade).
 *
 * <p>A packet's size is estimated from its arguments (their JSON text's length in characters),
 * not encoded: the same broadcast packet sits in every sibling's queue, and encoding it once per
 * socket to count it would cost as much as sending it.
 */
final class HeldPacketQueue extends AbstractQueue<Packet> {

    private final ConcurrentLinkedQueue<Sized> packets = new ConcurrentLinkedQueue<>();
    private final OutputBudget budget;
    private final EngineSessions sessions;
    private final ClientHead head;
    private final Holder holder = new Holder();
    /** Guarded by {@code this}; what the queued packets of a counted session add up to. */
    private long held;
    /** Guarded by {@code this}; false once the session has ended (a farewell may still be queued, uncounted). */
    private boolean counting = true;

    HeldPacketQueue(OutputBudget budget, EngineSessions sessions, ClientHead head) {
        this.budget = budget;
        this.sessions = sessions;
        this.head = head;
    }

    private record Sized(Packet packet, long bytes) {
    }

    @Override
    public boolean offer(Packet packet) {
        if (holder.isCutOff()) {
            // The session is being ended for what it held: nothing more is kept for it.
            return true;
        }
        long bytes = estimate(packet);
        synchronized (this) {
            if (!counting) {
                bytes = 0;
            }
            held += bytes;
            packets.offer(new Sized(packet, bytes));
            if (bytes > 0) {
                // Under the lock, so the budget sees this queue's changes in their order.
                budget.changed(holder, bytes, held);
            }
        }
        return true;
    }

    @Override
    public Packet poll() {
        Sized next;
        synchronized (this) {
            next = packets.poll();
            if (next == null) {
                return null;
            }
            long released = counting ? next.bytes() : 0;
            held -= released;
            if (released > 0) {
                budget.changed(holder, -released, held);
            }
        }
        return next.packet();
    }

    @Override
    public Packet peek() {
        Sized next = packets.peek();
        return next == null ? null : next.packet();
    }

    @Override
    public boolean isEmpty() {
        return packets.isEmpty();
    }

    @Override
    public int size() {
        return packets.size();
    }

    @Override
    public Iterator<Packet> iterator() {
        Iterator<Sized> sized = packets.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sized.hasNext();
            }

            @Override
            public Packet next() {
                return sized.next().packet();
            }
        };
    }

    /** The session has ended: what is queued no longer counts (a farewell for an open poll may still go out). */
    void release() {
        synchronized (this) {
            counting = false;
            long released = held;
            held = 0;
            budget.changed(holder, -released, 0);
        }
    }

    private final class Holder extends OutputHolder {
        @Override
        long held() {
            synchronized (HeldPacketQueue.this) {
                return held;
            }
        }

        @Override
        long limit() {
            return budget.perSocket();
        }

        @Override
        void cutOff(String reason) {
            release();
            packets.clear();
            sessions.cutOff(head, reason);
        }
    }

    /** Roughly the packet's encoded length: its event name and arguments as JSON text. */
    static long estimate(Packet packet) {
        long bytes = 16;
        if (packet.getName() != null) {
            bytes += packet.getName().length();
        }
        return bytes + estimate(packet.getData(), 0);
    }

    private static long estimate(Object value, int depth) {
        if (value == null || depth > 16) {
            return 4;
        }
        if (value instanceof CharSequence text) {
            return text.length() + 2L;
        }
        if (value instanceof Map<?, ?> map) {
            long bytes = 2;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                bytes += String.valueOf(entry.getKey()).length() + 4L + estimate(entry.getValue(), depth + 1);
            }
            return bytes;
        }
        if (value instanceof Collection<?> items) {
            long bytes = 2;
            for (Object item : items) {
                bytes += 1 + estimate(item, depth + 1);
            }
            return bytes;
        }
        if (value instanceof Object[] items) {
            return estimate(java.util.Arrays.asList(items), depth);
        }
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        return 24;
    }
}
