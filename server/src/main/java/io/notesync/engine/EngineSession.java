package io.notesync.engine;

import com.corundumstudio.socketio.handler.ClientHead;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * What notesync tracks about one Engine.IO session beside netty-socketio's {@link ClientHead}:
 * the namespaces its client has CONNECTed to, its open long-polling request, its WebSocket, and
 * its timers. One per Engine.IO connection, authenticated or not; notesync's authenticated
 * socket is {@code io.notesync.socket.AuthenticatedSocket}.
 */
public final class EngineSession {

    private final ClientHead head;
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
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

    void connected(String namespace) {
        namespaces.add(namespace);
    }

    void disconnected(String namespace) {
        namespaces.remove(namespace);
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
