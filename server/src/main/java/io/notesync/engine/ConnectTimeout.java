package io.notesync.engine;

import com.corundumstudio.socketio.protocol.PacketType;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes an Engine.IO session whose client has not CONNECTed to any namespace within
 * {@code connectTimeout} of the handshake, as the reference server does (45 s by default):
 * an Engine.IO connection that never becomes a socket only holds a file descriptor.
 */
public final class ConnectTimeout {

    private final ScheduledExecutorService timer;
    private final EngineSessions sessions;
    private final long connectTimeoutMs;

    public ConnectTimeout(ScheduledExecutorService timer, EngineSessions sessions, long connectTimeoutMs) {
        this.timer = timer;
        this.sessions = sessions;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    void start(EngineSession session) {
        session.connectDeadline(timer.schedule(() -> expire(session), connectTimeoutMs, TimeUnit.MILLISECONDS));
    }

    private void expire(EngineSession session) {
        if (!session.isEnded() && !session.hasNamespace()) {
            sessions.close(session.head(), PacketType.CLOSE, "no CONNECT within connectTimeout");
        }
    }
}
