package io.notesync.engine;

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
 * timeout stays as a backstop, 5 s behind this one (SocketEngine): every packet pushes it ahead.
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
        long planned = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pingIntervalMs);
        session.heartbeat(timer.schedule(() -> ping(session, planned), pingIntervalMs, TimeUnit.MILLISECONDS));
    }

    void onPong(EngineSession session) {
        session.ponged();
        schedulePing(session);
    }

    /**
     * The pong is due {@code pingTimeout} after the ping was planned, not after a busy timer
     * thread got to send it: a session is over {@code pingInterval + pingTimeout} after the
     * handshake (or the last pong) on the server's clock, however late the threads run. Requests
     * check the same deadline ({@link RequestGuard}), so none is admitted past it.
     */
    private void ping(EngineSession session, long planned) {
        ClientHead head = session.head();
        long due = planned + TimeUnit.MILLISECONDS.toNanos(pingTimeoutMs);
        session.awaitPongBy(due);
        long left = Math.max(0, due - System.nanoTime());
        if (session.heartbeat(timer.schedule(() -> timedOut(session), left, TimeUnit.NANOSECONDS))) {
            head.send(new Packet(PacketType.PING, head.getEngineIOVersion()));
        }
    }

    void timedOut(EngineSession session) {
        if (!session.isEnded()) {
            sessions.close(session.head(), PacketType.CLOSE, "ping timeout");
        }
    }
}
