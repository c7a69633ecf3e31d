package io.notesync.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides, once the client's Socket.IO CONNECT has been answered, whether the socket may stay:
 * a valid token joins it to the room named after its user; anything else gets
 * {@code invalidToken} and a server disconnect. This is the only place a socket joins a room.
 */
final class ConnectionGate {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    static final String CONNECTION_REFUSED = "connectionRefused";

    private final TokenVerifier verifier;
    private final Sessions sessions;
    private final boolean allowQueryToken;
    private volatile boolean draining;

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
            if (draining) {
                refuse(client, "shuttingDown", "the server is shutting down; reconnect");
                return;
            }
            if (sessions.tryOpen(client, valid.username(), valid.expiresAt()) == null) {
                log.info("socket {} refused at connect: user {} holds the most sockets allowed", client.getSessionId(),
                        valid.username());
                refuse(client, "tooManyConnections", "this user has too many open sockets; close one and reconnect");
                return;
            }
            client.joinRoom(valid.username());
            log.info("socket {} connected: user {} via {} from {}", client.getSessionId(), valid.username(), transport,
                    client.getRemoteAddress());
        } else if (check instanceof TokenCheck.Rejected rejected) {
            log.info("socket {} refused at connect: {} ({}) via {} from {}", client.getSessionId(),
                    rejected.reason().wireName(), rejected.message(), transport, client.getRemoteAddress());
            client.sendEvent(Answer.INVALID_TOKEN, Answer.invalidTokenBody(rejected.reason(), rejected.message()));
            client.disconnect();
        }
    }

    /** New sockets are refused from now on: the server is going away. */
    void stopAccepting() {
        draining = true;
    }

    /**
     * A valid token that cannot be served now: the client may retry later. Not in PROTOCOL.md's
     * event list; proposed there as {@code connectionRefused {code, message, retryable: true}}.
     */
    private static void refuse(SocketIOClient client, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("retryable", true);
        client.sendEvent(CONNECTION_REFUSED, body);
        client.disconnect();
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
