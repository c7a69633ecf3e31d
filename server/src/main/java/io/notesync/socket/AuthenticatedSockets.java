package io.notesync.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import io.notesync.auth.TokenRejection;
import io.notesync.logging.LogFields;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The authenticated notesync sockets ({@link AuthenticatedSocket}), how many each user holds, and the end of each one's authority:
 * when its token expires without renewal, the socket is told {@code invalidToken expired} and
 * disconnected, so an old token cannot keep receiving notes.
 */
final class AuthenticatedSockets {

    private static final Logger log = LoggerFactory.getLogger(AuthenticatedSockets.class);

    private final Map<UUID, AuthenticatedSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, Integer> socketsPerUser = new ConcurrentHashMap<>();
    private final int maxSocketsPerUser;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Consumer<String> lastSocketClosed;

    /** @param lastSocketClosed told the username when a user's last socket closes */
    AuthenticatedSockets(int maxSocketsPerUser, ScheduledExecutorService timers, Clock clock, Consumer<String> lastSocketClosed) {
        this.maxSocketsPerUser = maxSocketsPerUser;
        this.timers = timers;
        this.clock = clock;
        this.lastSocketClosed = lastSocketClosed;
    }

    /**
     * Admits a socket, or returns null when the user already holds the most sockets allowed. The
     * caller holds the client's lock and has checked it is not admitted yet (ConnectionGate).
     */
    AuthenticatedSocket tryOpen(SocketIOClient client, String username, Instant expiresAt, Instant issuedAt) {
        boolean[] admitted = {false};
        socketsPerUser.compute(username, (user, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxSocketsPerUser) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            return null;
        }
        AuthenticatedSocket socket = new AuthenticatedSocket(client, username, expiresAt, issuedAt);
        sockets.put(client.getSessionId(), socket);
        socket.renew(expiresAt, scheduleExpiry(socket, expiresAt));
        return socket;
    }

    AuthenticatedSocket of(SocketIOClient client) {
        return sockets.get(client.getSessionId());
    }

    void renew(AuthenticatedSocket socket, Instant expiresAt) {
        socket.renew(expiresAt, scheduleExpiry(socket, expiresAt));
    }

    void close(SocketIOClient client) {
        AuthenticatedSocket socket = sockets.remove(client.getSessionId());
        if (socket == null) {
            return;
        }
        socket.cancelExpiryTimer();
        Integer left = socketsPerUser.computeIfPresent(socket.username(), (user, count) -> count <= 1 ? null : count - 1);
        if (left == null) {
            lastSocketClosed.accept(socket.username());
        }
    }

    /**
     * Ends every socket of {@code username} whose token was issued before {@code epochSecond}
     * (or has no {@code iat}): {@code invalidToken revoked}, then a server disconnect. Safe from
     * any thread. Returns how many ended.
     */
    int revoke(String username, long epochSecond) {
        int ended = 0;
        for (AuthenticatedSocket socket : sockets.values()) {
            Instant issuedAt = socket.issuedAt();
            if (!socket.username().equals(username) || (issuedAt != null && issuedAt.getEpochSecond() >= epochSecond)) {
                continue;
            }
            try (LogFields fields = LogFields.socket(username, socket.client().getSessionId())
                    .with(LogFields.OUTCOME, TokenRejection.REVOKED.wireName())) {
                log.info("socket {} of user {} disconnected: token revoked", socket.client().getSessionId(), LogText.of(username));
            }
            socket.client().sendEvent(Answer.INVALID_TOKEN, Answer.invalidTokenBody(TokenRejection.REVOKED,
                    "the access token was revoked (a password change, log out everywhere, or the account's removal); "
                            + "refresh and reconnect, or log in again"));
            close(socket.client());
            socket.client().disconnect();
            ended++;
        }
        return ended;
    }

    int size() {
        return sockets.size();
    }

    /** Sockets whose current transport is {@code transport}. */
    long countOn(Transport transport) {
        return sockets.values().stream().filter(socket -> socket.client().getTransport() == transport).count();
    }

    Collection<AuthenticatedSocket> all() {
        return List.copyOf(sockets.values());
    }

    private ScheduledFuture<?> scheduleExpiry(AuthenticatedSocket socket, Instant expiresAt) {
        // Rounded up: a timer that fires before exp finds the socket still valid.
        long delayMicros = Math.max(0, (Duration.between(clock.instant(), expiresAt).toNanos() + 999) / 1000);
        return timers.schedule(() -> expireIfDue(socket), delayMicros, TimeUnit.MICROSECONDS);
    }

    private void expireIfDue(AuthenticatedSocket socket) {
        if (sockets.get(socket.client().getSessionId()) != socket) {
            return;
        }
        if (!socket.isExpired(clock.instant())) {
            // Fired early (the timer runs on the monotonic clock, exp is wall-clock time) or raced a
            // renewal: look again at the current expiry, or the socket would never be expired.
            renew(socket, socket.expiresAt());
            return;
        }
        try (LogFields fields = LogFields.socket(socket.username(), socket.client().getSessionId())
                .with(LogFields.OUTCOME, TokenRejection.EXPIRED.wireName())) {
            log.info("socket {} of user {} disconnected: token expired", socket.client().getSessionId(), LogText.of(socket.username()));
        }
        socket.client().sendEvent(Answer.INVALID_TOKEN,
                Answer.invalidTokenBody(TokenRejection.EXPIRED, "the access token has expired; refresh and reconnect"));
        close(socket.client());
        socket.client().disconnect();
    }
}
