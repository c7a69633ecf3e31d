package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.EncoderHandler;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What notesync tracks about one Engine.IO session beside netty-socketio's {@link ClientHead}:
 * the namespaces its client has CONNECTed to, its open long-polling request, its WebSocket, and
 * its timers. One per Engine.IO connection, authenticated or not; notesync's authenticated
 * socket is {@code io.notesync.socket.AuthenticatedSocket}.
 */
public final class EngineSession {

    private final ClientHead head;
    /** Copied on change: a client CONNECTs to one namespace, rarely more; a concurrent set cost ~200 bytes each. */
    private volatile Set<String> namespaces = Set.of();
    private volatile Channel pendingPoll;
    private volatile Channel webSocket;
    /**
     * Serializes what changes which requests the session still takes: admitting a poll (up to
     * netty-socketio binding it), the upgrade's probe and {@code 5}, and the close. netty-socketio
     * handles a session's connections on different event-loop threads; without this, a poll could
     * be admitted by one thread while another closes or upgrades the session, and then hang or be
     * answered by a session that no longer exists. Held only for in-memory work, never across I/O waits.
     */
    private final ReentrantLock gate = new ReentrantLock();
    private ScheduledFuture<?> heartbeat;
    /** When the pong to the last ping is due ({@link System#nanoTime()}), or 0 when none is awaited. */
    private volatile long pongDue;
    private ScheduledFuture<?> connectDeadline;
    private boolean ended;
    /** The session's outgoing queues (one per transport), counted against the output budget. */
    private volatile java.util.List<HeldPacketQueue> output = java.util.List.of();

    EngineSession(ClientHead head) {
        this.head = head;
    }

    void output(java.util.List<HeldPacketQueue> queues) {
        this.output = queues;
    }

    public ClientHead head() {
        return head;
    }

    boolean isConnectedTo(String namespace) {
        return namespaces.contains(namespace);
    }

    boolean hasNamespace() {
        return !namespaces.isEmpty();
    }

    /** The client CONNECTed to {@code namespace}: the connect deadline has done its job. */
    synchronized void connected(String namespace) {
        cancelConnectDeadline();
        if (!namespaces.contains(namespace)) {
            Set<String> more = new HashSet<>(namespaces);
            more.add(namespace);
            namespaces = Set.copyOf(more);
        }
    }

    synchronized void disconnected(String namespace) {
        if (namespaces.contains(namespace)) {
            Set<String> fewer = new HashSet<>(namespaces);
            fewer.remove(namespace);
            namespaces = Set.copyOf(fewer);
        }
    }

    Channel pendingPoll() {
        return pendingPoll;
    }

    void pendingPoll(Channel channel) {
        this.pendingPoll = channel;
    }

    Channel webSocket() {
        return webSocket;
    }

    void webSocket(Channel channel) {
        this.webSocket = channel;
        channel.attr(OF_WEBSOCKET).set(this);
    }

    /** Runs {@code action} with no close, upgrade step or other poll admission of this session in between. */
    void exclusively(Runnable action) {
        gate.lock();
        try {
            action.run();
        } finally {
            gate.unlock();
        }
    }

    /**
     * A WebSocket of this polling session is open and has not finished its upgrade ({@code 5}): the
     * reference's "upgrading". A poll now either crossed the server's {@code 3probe}, or was sent
     * after a {@code 5} that another event-loop thread has not read yet.
     */
    boolean upgradePending() {
        Channel probe = webSocket;
        return probe != null && probe.isActive() && head.getCurrentTransport() == Transport.POLLING;
    }

    /** A poll is open and bound, and nothing has been written to it yet. */
    boolean hasPendingPoll() {
        Channel poll = pendingPoll;
        return poll != null && poll.isActive() && poll.attr(EncoderHandler.WRITE_ONCE).get() == null;
    }

    /** The session a WebSocket channel was opened for (an upgrade probe, or the upgraded transport). */
    static final AttributeKey<EngineSession> OF_WEBSOCKET = AttributeKey.valueOf("notesync.engineSessionOfWebSocket");

    /** Replaces the heartbeat timer (next ping, or the deadline for its pong); false once ended. */
    synchronized boolean heartbeat(ScheduledFuture<?> next) {
        if (ended) {
            next.cancel(false);
            return false;
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        heartbeat = next;
        return true;
    }

    synchronized void connectDeadline(ScheduledFuture<?> deadline) {
        if (ended) {
            deadline.cancel(false);
            return;
        }
        connectDeadline = deadline;
    }

    synchronized void cancelConnectDeadline() {
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
            connectDeadline = null;
        }
    }

    void awaitPongBy(long due) {
        pongDue = due == 0 ? 1 : due;
    }

    void ponged() {
        pongDue = 0;
    }

    /** The pong to the last ping is late: the session is over, whether or not its timer ran yet. */
    boolean pongOverdue() {
        long due = pongDue;
        return due != 0 && System.nanoTime() - due >= 0;
    }

    /** Marks the session ended and stops its timers; true only the first time. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        for (HeldPacketQueue queue : output) {
            queue.release();
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        return true;
    }

    synchronized boolean isEnded() {
        return ended;
    }
}
