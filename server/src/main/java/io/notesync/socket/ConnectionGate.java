package io.notesync.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenRejection;
import io.notesync.auth.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, once the client's Socket.IO CONNECT has been answered, whether the socket may stay:
 * a valid token joins it to the room named after its user; anything else gets
 * {@code invalidToken} and a server disconnect. This is the only place a socket joins a room.
 *
 * <p>The decision is taken once per socket, by whichever thread asks first: normally the
 * {@link ConnectObserver} right after CONNECT, but over long-polling the client's first packet can
 * arrive on another connection (another event loop) before that thread got here, and then
 * {@link PacketFlow} asks.
 */
final class ConnectionGate {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    static final String CONNECTION_REFUSED = "connectionRefused";

    private final TokenVerifier verifier;
    private final Sessions sessions;
    private final boolean allowQueryToken;
    private volatile boolean draining;
    private final Map<UUID, TokenCheck.Rejected> refused = new ConcurrentHashMap<>();

    ConnectionGate(TokenVerifier verifier, Sessions sessions, boolean allowQueryToken) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.allowQueryToken = allowQueryToken;
    }

    /** Decides once; returns null when the socket was admitted, else why its token was refused. */
    TokenCheck.Rejected decide(SocketIOClient client) {
        synchronized (client) {
            if (sessions.of(client) != null) {
                return null;
            }
            TokenCheck.Rejected earlier = refused.get(client.getSessionId());
            if (earlier != null) {
                return earlier;
            }
            return admitOrRefuse(client);
        }
    }

    /**
     * Admits a socket whose CONNECT carried a valid {@code auth.token}, while netty-socketio is
     * still handling that CONNECT (its auth-token listener), before it answers: the socket is then
     * in its user's room before the client hears it is connected, and cannot miss an fPacket sent
     * just after. Everything else (no auth payload, a refused token, a full user) is left to
     * {@link #decide}, after the answer, because a refusal must reach a connected client.
     */
    void admitBeforeAnswer(SocketIOClient client) {
        synchronized (client) {
            if (draining || sessions.of(client) != null || refused.containsKey(client.getSessionId())) {
                return;
            }
            if (verifier.check(tokenOf(client.getHandshakeData())) instanceof TokenCheck.Valid valid) {
                admit(client, valid);
            }
        }
    }

    /** Opens the socket's session and joins its user's room; false when the user holds the most sockets allowed. */
    private boolean admit(SocketIOClient client, TokenCheck.Valid valid) {
        if (sessions.tryOpen(client, valid.username(), valid.expiresAt()) == null) {
            return false;
        }
        client.joinRoom(valid.username());
        log.info("socket {} connected: user {} via {} from {}", client.getSessionId(), valid.username(),
                client.getTransport().getValue(), client.getRemoteAddress());
        releaseHandshake(client.getHandshakeData());
        return true;
    }

    /**
     * The socket is admitted and its token read: nothing reads the handshake's headers, query or
     * auth payload again (a later decide() finds the session first). netty-socketio would keep them
     * for the socket's whole life, about 1 KiB per idle socket (the JWT included).
     */
    private static void releaseHandshake(HandshakeData handshake) {
        handshake.setAuthToken(null);
        handshake.getHttpHeaders().clear();
        try {
            handshake.getUrlParams().clear();
        } catch (UnsupportedOperationException e) {
            // An unmodifiable map: kept, nothing else to do.
        }
    }

    /** The socket is gone: forget its decision. */
    void forget(SocketIOClient client) {
        refused.remove(client.getSessionId());
    }

    private TokenCheck.Rejected admitOrRefuse(SocketIOClient client) {
        TokenCheck check = verifier.check(tokenOf(client.getHandshakeData()));
        String transport = client.getTransport().getValue();
        if (check instanceof TokenCheck.Valid valid) {
            if (draining) {
                return refuse(client, "shuttingDown", "the server is shutting down; reconnect");
            }
            if (!admit(client, valid)) {
                log.info("socket {} refused at connect: user {} holds the most sockets allowed", client.getSessionId(),
                        valid.username());
                return refuse(client, "tooManyConnections", "this user has too many open sockets; close one and reconnect");
            }
            return null;
        }
        TokenCheck.Rejected rejected = (TokenCheck.Rejected) check;
        log.info("socket {} refused at connect: {} ({}) via {} from {}", client.getSessionId(),
                rejected.reason().wireName(), rejected.message(), transport, client.getRemoteAddress());
        refused.put(client.getSessionId(), rejected);
        client.sendEvent(Answer.INVALID_TOKEN, Answer.invalidTokenBody(rejected.reason(), rejected.message()));
        client.disconnect();
        return rejected;
    }

    /** New sockets are refused from now on: the server is going away. */
    void stopAccepting() {
        draining = true;
    }

    /**
     * A valid token that cannot be served now: the client may retry later. Not in PROTOCOL.md's
     * event list; proposed there as {@code connectionRefused {code, message, retryable: true}}.
     */
    private TokenCheck.Rejected refuse(SocketIOClient client, String code, String message) {
        // The token was fine; a packet racing this refusal is told to come back with it later.
        TokenCheck.Rejected rejected = new TokenCheck.Rejected(TokenRejection.MISSING, message);
        refused.put(client.getSessionId(), rejected);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("retryable", true);
        client.sendEvent(CONNECTION_REFUSED, body);
        client.disconnect();
        return rejected;
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
