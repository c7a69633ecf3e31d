package io.notesync.socket;

import com.corundumstudio.socketio.SocketIOClient;
import io.notesync.auth.TokenRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The authenticated sockets, and the end of each one's authority: when its token expires without
 * renewal, the socket is told {@code invalidToken expired} and disconnected, so an old token
 * cannot keep receiving notes.
 */
final class Sessions {

    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final Map<UUID, SocketSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final Clock clock;

    Sessions(ScheduledExecutorService timers, Clock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    /**
     * Opens the socket's session, unless another thread just did (the gate at CONNECT and the
     * first packet may race): returns null then, and the caller uses {@link #of}.
     */
    SocketSession openIfAbsent(SocketIOClient client, String username, Instant expiresAt) {
        SocketSession session = new SocketSession(client, username, expiresAt);
        if (sessions.putIfAbsent(client.getSessionId(), session) != null) {
            return null;
        }
        session.renew(expiresAt, scheduleExpiry(session, expiresAt));
        return session;
    }

    SocketSession of(SocketIOClient client) {
        return sessions.get(client.getSessionId());
    }

    void renew(SocketSession session, Instant expiresAt) {
        session.renew(expiresAt, scheduleExpiry(session, expiresAt));
    }

    void close(SocketIOClient client) {
        SocketSession session = sessions.remove(client.getSessionId());
        if (session != null) {
            session.cancelExpiryTimer();
        }
    }

    int size() {
        return sessions.size();
    }

    private ScheduledFuture<?> scheduleExpiry(SocketSession session, Instant expiresAt) {
        // Rounded up: a timer that fires before exp finds the session still valid.
        long delayMicros = Math.max(0, (Duration.between(clock.instant(), expiresAt).toNanos() + 999) / 1000);
        return timers.schedule(() -> expireIfDue(session), delayMicros, TimeUnit.MICROSECONDS);
    }

    private void expireIfDue(SocketSession session) {
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
