package io.notesync.socket.engineio;

import com.corundumstudio.socketio.handler.ClientHead;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * What notesync tracks about one Engine.IO session beside netty-socketio's {@link ClientHead}:
 * the namespaces its client has CONNECTed to, its open long-polling request, its WebSocket, and
 * its timers.
 */
public final class EngineSession {

    private final ClientHead head;
    /** Copied on change: a client CONNECTs to one namespace, rarely more; a concurrent set cost ~200 bytes each. */
    private volatile Set<String> namespaces = Set.of();
    private volatile Channel pendingPoll;
    private volatile Channel webSocket;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> connectDeadline;
    private boolean ended;

    EngineSession(ClientHead head) {
        this.head = head;
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

    /** Marks the session ended and stops its timers; true only the first time. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
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
