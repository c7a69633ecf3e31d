package io.notesync.socket.engineio;

import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Engine.IO v4 heartbeat as the reference server runs it: {@code pingInterval} after the
 * handshake (and after each pong) the server sends a ping; a pong must come within
 * {@code pingTimeout} of it, or the session is closed.
 *
 * <p>netty-socketio sends its pings and checks its timeout on a timer with a 100 ms tick, so a
 * dead socket lingered up to a tick past the deadline; its ping is cancelled at the handshake
 * ({@link SessionOpener}) and this one, on a millisecond scheduler, takes its place. Its own
 * timeout stays as a backstop, 5 s behind this one (SocketServer): every packet pushes it ahead.
 */
public final class Heartbeat {

    private final ScheduledExecutorService timer;
    private final EngineSessions sessions;
    private final long pingIntervalMs;
    private final long pingTimeoutMs;

    public Heartbeat(ScheduledExecutorService timer, EngineSessions sessions, long pingIntervalMs, long pingTimeoutMs) {
        this.timer = timer;
        this.sessions = sessions;
        this.pingIntervalMs = pingIntervalMs;
        this.pingTimeoutMs = pingTimeoutMs;
    }

    /** At the handshake, and after each pong: the next ping in {@code pingInterval}. */
    void schedulePing(EngineSession session) {
        session.heartbeat(timer.schedule(() -> ping(session), pingIntervalMs, TimeUnit.MILLISECONDS));
    }

    void onPong(EngineSession session) {
        schedulePing(session);
    }

    private void ping(EngineSession session) {
        ClientHead head = session.head();
        if (session.heartbeat(timer.schedule(() -> timedOut(session), pingTimeoutMs, TimeUnit.MILLISECONDS))) {
            head.send(new Packet(PacketType.PING, head.getEngineIOVersion()));
        }
    }

    private void timedOut(EngineSession session) {
        if (!session.isEnded()) {
            sessions.close(session.head(), PacketType.CLOSE, "ping timeout");
        }
    }
}
