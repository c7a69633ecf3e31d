package io.notesync.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenRejection;
import io.notesync.auth.TokenVerifier;
import io.notesync.logging.LogFields;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides, once the client's Socket.IO CONNECT has been answered, whether the socket may stay:
 * a valid token joins it to the room named after its user; anything else gets
 * {@code invalidToken} and a server disconnect. This is the only place a socket joins a room.
 *
 * <p>The decision is taken once per socket, by whichever thread asks first: normally the
 * engine's connected callback right after CONNECT, but over long-polling the client's first packet can
 * arrive on another connection (another event loop) before that thread got here, and then
 * {@link PacketFlow} asks.
 */
final class ConnectionGate {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    static final String CONNECTION_REFUSED = "connectionRefused";

    private final TokenVerifier verifier;
    private final AuthenticatedSockets sockets;
    private final boolean allowQueryToken;
    /** The client's address for the log: the peer, or behind a trusted proxy the address it forwards. */
    private final Function<HandshakeData, String> clientAddress;
    private volatile boolean draining;
    private final Map<UUID, Refusal> refused = new ConcurrentHashMap<>();

    /**
     * Why a socket was not admitted: its token ({@code tokenRejection} set), or a valid token this
     * server cannot serve now ({@code connectionRefusedCode} set: {@code tooManyConnections},
     * {@code shuttingDown}).
     */
    record Refusal(TokenRejection tokenRejection, String connectionRefusedCode, String message) {
        static Refusal of(TokenCheck.Rejected rejected) {
            return new Refusal(rejected.reason(), null, rejected.message());
        }

        static Refusal cannotServe(String code, String message) {
            return new Refusal(null, code, message);
        }
    }

    ConnectionGate(TokenVerifier verifier, AuthenticatedSockets sockets, boolean allowQueryToken,
                   Function<HandshakeData, String> clientAddress) {
        this.verifier = verifier;
        this.sockets = sockets;
        this.allowQueryToken = allowQueryToken;
        this.clientAddress = clientAddress;
    }

    /** Decides once; returns null when the socket was admitted, else why it was refused. */
    Refusal decide(SocketIOClient client) {
        synchronized (client) {
            if (sockets.of(client) != null) {
                return null;
            }
            Refusal earlier = refused.get(client.getSessionId());
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
            if (draining || sockets.of(client) != null || refused.containsKey(client.getSessionId())) {
                return;
            }
            if (verifier.check(tokenOf(client.getHandshakeData())) instanceof TokenCheck.Valid valid) {
                admit(client, valid);
            }
        }
    }

    /** Opens the socket's socket and joins its user's room; false when the user holds the most sockets allowed. */
    private boolean admit(SocketIOClient client, TokenCheck.Valid valid) {
        if (sockets.tryOpen(client, valid.username(), valid.expiresAt(), valid.issuedAt()) == null) {
            return false;
        }
        client.joinRoom(valid.username());
        try (LogFields fields = LogFields.socket(valid.username(), client.getSessionId())) {
            log.info("socket {} connected: user {} via {} from {}", client.getSessionId(), LogText.of(valid.username()),
                    client.getTransport().getValue(), LogText.of(clientAddress.apply(client.getHandshakeData())));
        }
        releaseHandshake(client.getHandshakeData());
        return true;
    }

    /**
     * The socket is admitted and its token read: nothing reads the handshake's headers, query or
     * auth payload again (a later decide() finds the session first). netty-socketio would keep them
     * for the socket's whole life, the JWT included (docs/benchmark.md, "Where an idle socket's memory
     * goes").
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

    private Refusal admitOrRefuse(SocketIOClient client) {
        TokenCheck check = verifier.check(tokenOf(client.getHandshakeData()));
        String transport = client.getTransport().getValue();
        if (check instanceof TokenCheck.Valid valid) {
            if (draining) {
                return refuse(client, "shuttingDown", "the server is shutting down; reconnect");
            }
            if (!admit(client, valid)) {
                try (LogFields fields = LogFields.socket(valid.username(), client.getSessionId())
                        .with(LogFields.OUTCOME, "tooManyConnections")) {
                    log.info("socket {} refused at connect: user {} holds the most sockets allowed", client.getSessionId(),
                            LogText.of(valid.username()));
                }
                return refuse(client, "tooManyConnections", "this user has too many open sockets; close one and reconnect");
            }
            return null;
        }
        TokenCheck.Rejected rejected = (TokenCheck.Rejected) check;
        try (LogFields fields = LogFields.socket(null, client.getSessionId()).with(LogFields.OUTCOME, rejected.reason().wireName())) {
            log.info("socket {} refused at connect: {} ({}) via {} from {}", client.getSessionId(),
                    rejected.reason().wireName(), LogText.of(rejected.message()), transport,
                    LogText.of(clientAddress.apply(client.getHandshakeData())));
        }
        Refusal refusal = Refusal.of(rejected);
        refused.put(client.getSessionId(), refusal);
        client.sendEvent(Answer.INVALID_TOKEN, Answer.invalidTokenBody(rejected.reason(), rejected.message()));
        client.disconnect();
        return refusal;
    }

    /** New sockets are refused from now on: the server is going away. */
    void stopAccepting() {
        draining = true;
    }

    /**
     * A valid token that cannot be served now: the client may retry later with
     * {@code connectionRefused {code, message, retryable: true}} (docs/protocol.md).
     */
    private Refusal refuse(SocketIOClient client, String code, String message) {
        Refusal refusal = Refusal.cannotServe(code, message);
        refused.put(client.getSessionId(), refusal);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("retryable", true);
        client.sendEvent(CONNECTION_REFUSED, body);
        client.disconnect();
        return refusal;
    }

    /** docs/protocol.md's precedence: {@code auth.token} alone when present, then the Bearer header, then the query. */
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
