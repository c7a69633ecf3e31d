package io.notesync.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import io.notesync.auth.TokenRejection;
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

    private final Map<UUID, AuthenticatedSocket> sessions = new ConcurrentHashMap<>();
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
     * Opens a session, or returns null when the user already holds the most sockets allowed. The
     * caller holds the client's lock and has checked it has no session yet (ConnectionGate).
     */
    AuthenticatedSocket tryOpen(SocketIOClient client, String username, Instant expiresAt) {
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
        AuthenticatedSocket session = new AuthenticatedSocket(client, username, expiresAt);
        sessions.put(client.getSessionId(), session);
        session.renew(expiresAt, scheduleExpiry(session, expiresAt));
        return session;
    }

    AuthenticatedSocket of(SocketIOClient client) {
        return sessions.get(client.getSessionId());
    }

    void renew(AuthenticatedSocket session, Instant expiresAt) {
        session.renew(expiresAt, scheduleExpiry(session, expiresAt));
    }

    void close(SocketIOClient client) {
        AuthenticatedSocket session = sessions.remove(client.getSessionId());
        if (session == null) {
            return;
        }
        session.cancelExpiryTimer();
        Integer left = socketsPerUser.computeIfPresent(session.username(), (user, count) -> count <= 1 ? null : count - 1);
        if (left == null) {
            lastSocketClosed.accept(session.username());
        }
    }

    int size() {
        return sessions.size();
    }

    /** Sockets whose current transport is {@code transport}. */
    long countOn(Transport transport) {
        return sessions.values().stream().filter(session -> session.client().getTransport() == transport).count();
    }

    Collection<AuthenticatedSocket> all() {
        return List.copyOf(sessions.values());
    }

    private ScheduledFuture<?> scheduleExpiry(AuthenticatedSocket session, Instant expiresAt) {
        // Rounded up: a timer that fires before exp finds the session still valid.
        long delayMicros = Math.max(0, (Duration.between(clock.instant(), expiresAt).toNanos() + 999) / 1000);
        return timers.schedule(() -> expireIfDue(session), delayMicros, TimeUnit.MICROSECONDS);
    }

    private void expireIfDue(AuthenticatedSocket session) {
        if (sessions.get(session.client().getSessionId()) != session) {
            return;
        }
        if (!session.isExpired(clock.instant())) {
            // Fired early (the timer runs on the monotonic clock, exp is wall-clock time) or raced a
            // renewal: look again at the current expiry, or the socket would never be expired.
            renew(session, session.expiresAt());
            return;
        }
        log.info("socket {} of user {} disconnected: token expired", session.client().getSessionId(), session.username());
        session.client().sendEvent(Answer.INVALID_TOKEN,
                Answer.invalidTokenBody(TokenRejection.EXPIRED, "the access token has expired; refresh and reconnect"));
        close(session.client());
        session.client().disconnect();
    }
}
