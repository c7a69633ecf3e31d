package io.notesync.socket;

import com.corundumstudio.socketio.SocketIOClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One authenticated notesync socket (a Socket.IO client on "/" whose token was accepted; not the
 * Engine.IO session underneath it, which is the engine's {@code EngineSession}): whose it is, until when its token holds, and the chain that sends
 * its packets' answers in the order the packets arrived, however their stores finish.
 */
final class AuthenticatedSocket {

    private static final Logger log = LoggerFactory.getLogger(AuthenticatedSocket.class);

    private final SocketIOClient client;
    private final String username;
    private volatile Instant expiresAt;
    /** The newest {@code iat} this socket was authenticated with (null: a token without one). */
    private volatile Instant issuedAt;
    private ScheduledFuture<?> expiryTimer;
    private CompletableFuture<Void> lastAnswer = CompletableFuture.completedFuture(null);

    AuthenticatedSocket(SocketIOClient client, String username, Instant expiresAt, Instant issuedAt) {
        this.client = client;
        this.username = username;
        this.expiresAt = expiresAt;
        this.issuedAt = issuedAt;
    }

    Instant issuedAt() {
        return issuedAt;
    }

    /** A packet brought a newer token of the same user: the socket's identity is as fresh as it. */
    void issuedAt(Instant newer) {
        if (newer != null && (issuedAt == null || newer.isAfter(issuedAt))) {
            issuedAt = newer;
        }
    }

    SocketIOClient client() {
        return client;
    }

    String username() {
        return username;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    synchronized void renew(Instant newExpiry, ScheduledFuture<?> newTimer) {
        cancelExpiryTimer();
        this.expiresAt = newExpiry;
        this.expiryTimer = newTimer;
    }

    synchronized void cancelExpiryTimer() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
    }

    /**
     * Sends {@code answer} once it is ready and every earlier packet's answer has gone out.
     * {@code answer} must never complete exceptionally; the chain survives a failed send.
     */
    synchronized void answerInOrder(CompletableFuture<Answer> answer, AnswerSink sink) {
        lastAnswer = lastAnswer
                .thenCombine(answer, (previous, ready) -> ready)
                .thenAccept(sink::send)
                .exceptionally(failure -> {
                    log.error("could not send an answer to {}", client.getSessionId(), failure);
                    return null;
                });
    }

    /** Delivers an answer: event plus acknowledgement. */
    @FunctionalInterface
    interface AnswerSink {
        void send(Answer answer);
    }
}
