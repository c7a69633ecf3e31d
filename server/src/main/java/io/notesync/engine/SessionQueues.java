package io.notesync.engine;

import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.TransportState;
import com.corundumstudio.socketio.protocol.Packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Puts {@link HeldPacketQueue}s in place of netty-socketio's two per-transport packet queues of
 * a new session. netty-socketio keeps them in {@code ClientHead}'s private map of
 * {@link TransportState}s; each state has a public setter for its queue (netty-socketio itself uses
 * it to hand the polling queue to the WebSocket at the upgrade), but the map has no accessor.
 * Called at the handshake, before the transport is bound: what is queued (the open packet) moves over.
 */
final class SessionQueues {

    private static final VarHandle CHANNELS;

    static {
        try {
            CHANNELS = MethodHandles.privateLookupIn(ClientHead.class, MethodHandles.lookup())
                    .findVarHandle(ClientHead.class, "channels", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("netty-socketio's ClientHead.channels is not where 2.0.14 keeps it: " + e);
        }
    }

    private SessionQueues() {
    }

    /**
     * One queue per transport, as netty-socketio has them: until the upgrade completes, what is
     * sent on the probe WebSocket ({@code 3probe}) must not carry what waits for the next poll.
     */
    static List<HeldPacketQueue> install(ClientHead head, OutputBudget budget, EngineSessions sessions) {
        @SuppressWarnings("unchecked")
        Map<?, TransportState> states = (Map<?, TransportState>) CHANNELS.get(head);
        List<HeldPacketQueue> queues = new ArrayList<>(states.size());
        for (TransportState state : states.values()) {
            HeldPacketQueue queue = new HeldPacketQueue(budget, sessions, head);
            // The handshake's open packet is already queued, waiting for the transport to bind.
            Queue<Packet> queued = state.getPacketsQueue();
            for (Packet packet = queued.poll(); packet != null; packet = queued.poll()) {
                queue.offer(packet);
            }
            state.setPacketsQueue(queue);
            queues.add(queue);
        }
        return queues;
    }
}
