package io.notesync.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Decides, once the client's Socket.IO CONNECT has been answered, whether the socket may stay:
 * a valid token joins it to the room named after its user; anything else gets
 * {@code invalidToken} and a server disconnect. This is the only place a socket joins a room.
 */
final class ConnectionGate {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);

    private final TokenVerifier verifier;
    private final Sessions sessions;
    private final boolean allowQueryToken;

    ConnectionGate(TokenVerifier verifier, Sessions sessions, boolean allowQueryToken) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.allowQueryToken = allowQueryToken;
    }

    void onConnect(SocketIOClient client) {
        if (sessions.of(client) != null) {
            return;
        }
        TokenCheck check = verifier.check(tokenOf(client.getHandshakeData()));
        String transport = client.getTransport().getValue();
        if (check instanceof TokenCheck.Valid valid) {
            open(client, valid);
        } else if (check instanceof TokenCheck.Rejected rejected) {
            log.info("socket {} refused at connect: {} ({}) via {} from {}", client.getSessionId(),
                    rejected.reason().wireName(), rejected.message(), transport, client.getRemoteAddress());
            client.sendEvent(Answer.INVALID_TOKEN, Answer.invalidTokenBody(rejected.reason(), rejected.message()));
            client.disconnect();
        }
    }

    /**
     * The socket's session, opened now from its handshake token if {@link #onConnect} has not run
     * yet: netty-socketio answers CONNECT before the observer calls the gate, so a client's first
     * packet, arriving on another connection (polling, or the upgraded WebSocket) and so on another
     * event loop, can overtake it. Null when the handshake token is not valid; the gate then
     * refuses the socket at CONNECT as usual.
     */
    SocketSession sessionFor(SocketIOClient client) {
        SocketSession session = sessions.of(client);
        if (session != null) {
            return session;
        }
        TokenCheck check = verifier.check(tokenOf(client.getHandshakeData()));
        return check instanceof TokenCheck.Valid valid ? open(client, valid) : null;
    }

    private SocketSession open(SocketIOClient client, TokenCheck.Valid valid) {
        // Joined before the session is visible, so no packet is confirmed to a socket outside its room.
        client.joinRoom(valid.username());
        SocketSession session = sessions.openIfAbsent(client, valid.username(), valid.expiresAt());
        if (session == null) {
            return sessions.of(client);
        }
        log.info("socket {} connected: user {} via {} from {}", client.getSessionId(), valid.username(),
                client.getTransport().getValue(), client.getRemoteAddress());
        return session;
    }

    /** PROTOCOL.md's precedence: {@code auth.token} alone when present, then the Bearer header, then the query. */
    private Object tokenOf(HandshakeData handshake) {
        if (handshake.getAuthToken() instanceof Map<?, ?> auth && auth.containsKey("token")) {
            return auth.get("token");
        }
        String authorization = handshake.getHttpHeaders().get("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (allowQueryToken) {
            return handshake.getSingleUrlParam("token");
        }
        return null;
    }
}
