package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open Engine.IO sessions, and the one way notesync ends one. netty-socketio keeps its own
 * registry private; this one is filled at the handshake ({@link SessionOpener}) and emptied when
 * netty-socketio lets go of a session ({@link #ended}) or when notesync closes it ({@link #close}).
 */
public final class EngineSessions {

    private static final Logger log = LoggerFactory.getLogger(EngineSessions.class);

    private final Map<UUID, EngineSession> sessions = new ConcurrentHashMap<>();

    EngineSession open(ClientHead head) {
        EngineSession session = new EngineSession(head);
        sessions.put(head.getSessionId(), session);
        return session;
    }

    /** The live session with this id, or null: unknown, closed, or already let go by netty-socketio. */
    public EngineSession find(UUID sessionId) {
        EngineSession session = sessions.get(sessionId);
        if (session == null || session.isEnded() || !session.head().isConnected()) {
            return null;
        }
        return session;
    }

    EngineSession of(ClientHead head) {
        return find(head.getSessionId());
    }

    public int size() {
        return sessions.size();
    }

    /**
     * netty-socketio dropped the session (its last namespace client left). Stops the timers and,
     * should the transport still be open (a {@code 41} on the main namespace), closes it: netty-socketio
     * would answer nothing on it anymore.
     */
    public void ended(ClientHead head) {
        EngineSession session = sessions.remove(head.getSessionId());
        if (session != null && session.end()) {
            // Not closed by notesync's engine: a socket disconnected by notesync (refusal, expiry,
            // shutdown, whose own lines say why), or by netty-socketio (a 41 on "/", its transport gone).
            log.info("Engine.IO session {} ended by the Socket.IO layer", head.getSessionId());
            closeTransports(session, PacketType.CLOSE);
        }
    }

    /**
     * Closes the session as the reference server does: the open poll, if any, gets {@code farewell}
     * ({@code 1} close when the server decides, {@code 6} noop when the client asked), its WebSocket
     * gets a close frame, and netty-socketio runs its disconnect (listeners, rooms, registry).
     */
    public void close(ClientHead head, PacketType farewell, String reason) {
        EngineSession session = sessions.get(head.getSessionId());
        if (session == null) {
            return;
        }
        // Under the session's gate: a poll is either admitted and bound before (and gets the
        // farewell) or refused after ("Session ID unknown"), never caught half-way.
        session.exclusively(() -> {
            if (!sessions.remove(head.getSessionId(), session) || !session.end()) {
                return;
            }
            // At INFO: a session ended by the server, or by its client, is otherwise unexplained in the log.
            log.info("closing Engine.IO session {}: {}", head.getSessionId(), reason);
            closeTransports(session, farewell);
        });
    }

    /**
     * Ends a session for what it holds unread (see {@link OutputBudget}): like {@link #close}, but
     * its WebSocket is closed at once, without a close frame that would queue behind the unread
     * output. A polling client's next request is refused (unknown session) and it reconnects.
     */
    void cutOff(ClientHead head, String reason) {
        EngineSession session = sessions.get(head.getSessionId());
        if (session == null) {
            return;
        }
        session.exclusively(() -> {
            if (!sessions.remove(head.getSessionId(), session) || !session.end()) {
                return;
            }
            log.info("closing Engine.IO session {}: {}", head.getSessionId(), reason);
            head.onChannelDisconnect();
            Channel webSocket = session.webSocket();
            if (webSocket != null) {
                webSocket.close();
            }
        });
    }

    private static void closeTransports(EngineSession session, PacketType farewell) {
        ClientHead head = session.head();
        if (head.isConnected() && head.getCurrentTransport() == Transport.POLLING) {
            head.send(new Packet(farewell, head.getEngineIOVersion()), Transport.POLLING);
        }
        head.onChannelDisconnect();
        Channel webSocket = session.webSocket();
        if (webSocket != null && webSocket.isActive()) {
            webSocket.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
