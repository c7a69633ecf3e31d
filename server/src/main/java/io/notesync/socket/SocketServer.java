package io.notesync.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import io.notesync.auth.TokenVerifier;
import io.notesync.cluster.RedisFanout;
import io.notesync.config.NotesyncConfig;
import io.notesync.engine.PipelineHandler;
import io.notesync.engine.SocketEngine;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.PacketLimits;
import io.notesync.notes.PacketParser;
import io.notesync.logging.LogFields;
import io.notesync.logging.LogText;
import io.notesync.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * notesync's sockets: who may connect ({@link ConnectionGate}), what a packet does
 * ({@link PacketFlow}), and the graceful drain, on top of the {@link SocketEngine}.
 */
public final class SocketServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

    private final SocketEngine engine;
    private final ScheduledExecutorService timers;
    private final AuthenticatedSockets sockets;
    private final ConnectionGate gate;
    private final Duration shutdownTimeout;
    private final PacketFlow packets;

    /**
     * @param packetLimits  what one {@code fPacket} may hold
     * @param cluster       how room broadcasts reach other nodes; null for a single node
     * @param clientAddress the client's address for the log, from the handshake's peer and headers
     *                      (behind a trusted proxy, the address it forwards)
     */
    public SocketServer(NotesyncConfig config, TokenVerifier verifier, NoteRepository repository,
                        PacketLimits packetLimits, PacketStats stats, Clock clock,
                        RedisFanout cluster, Function<HandshakeData, String> clientAddress) {
        this.shutdownTimeout = config.server().shutdownTimeout();
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("token-expiry"));
        NotesyncConfig.Limits limits = config.limits();
        RateLimiter rateLimiter = new RateLimiter(limits.packetsPerSecond(), limits.packetBurst(), System::nanoTime);
        this.sockets = new AuthenticatedSockets(limits.maxConnectionsPerUser(), timers, clock, rateLimiter::forget);
        this.gate = new ConnectionGate(verifier, sockets, config.socketio().allowQueryToken(), clientAddress);
        this.engine = new SocketEngine(config, cluster, new SocketEngine.Callbacks() {
            @Override
            public void connecting(SocketIOClient client) {
                gate.admitBeforeAnswer(client);
            }

            @Override
            public void connected(SocketIOClient client) {
                gate.decide(client);
            }

            @Override
            public void closed(SocketIOClient client) {
                AuthenticatedSocket socket = sockets.of(client);
                sockets.close(client);
                gate.forget(client);
                if (socket != null) {
                    try (LogFields fields = LogFields.socket(socket.username(), client.getSessionId())) {
                        log.info("socket {} of user {} disconnected", client.getSessionId(), LogText.of(socket.username()));
                    }
                }
            }
        });

        PacketParser parser = new PacketParser(packetLimits);
        this.packets = new PacketFlow(sockets, gate, verifier, rateLimiter, parser, repository, engine::room,
                stats, clock);
        engine.onEvent(PacketFlow.EVENT, packets);
    }

    /**
     * Binds and starts serving; throws when the port cannot be bound.
     *
     * @param httpHandlers handlers ahead of Socket.IO on the same port
     */
    public void start(List<PipelineHandler> httpHandlers) {
        engine.start(httpHandlers);
    }

    /** The bound port: the configured one, or the one picked when 0 was configured. */
    public int port() {
        return engine.port();
    }

    /**
     * Sends {@code event} to every socket of {@code username}: the user's room, so through the
     * cluster fan-out like {@code fPacket}, but without excluding a sender (a change made over HTTP
     * has none). Safe from any thread.
     */
    public void toEverySocket(String username, String event, Map<String, Object> body) {
        engine.room(username).sendEvent(event, body);
    }

    /** What the server holds for peers that have not taken it, and who was cut off for it. */
    public io.notesync.engine.OutputBudget outputBudget() {
        return engine.outputBudget();
    }

    /**
     * Ends this node's sockets of {@code username} whose token was issued before {@code epochSecond}
     * ({@code invalidToken revoked} and a server disconnect). Safe from any thread.
     */
    public int revoke(String username, long epochSecond) {
        return sockets.revoke(username, epochSecond);
    }

    public int connectedSockets() {
        return sockets.size();
    }

    /** Authenticated sockets whose current transport is {@code transport}. */
    public long socketsOn(Transport transport) {
        return sockets.countOn(transport);
    }

    /**
     * The first half of a graceful shutdown: refuse new sockets and packets (as retryable), wait
     * up to {@code timeout} until every packet received has been answered, then disconnect every
     * socket so its client reconnects, to another node where there is one.
     */
    private void drain(Duration timeout) throws InterruptedException {
        gate.stopAccepting();
        packets.stopAccepting();
        if (!packets.awaitAnswered(timeout)) {
            log.warn("shutdown: some packets were still unanswered after {} ms; their clients will resend them",
                    timeout.toMillis());
        }
        int disconnected = 0;
        for (AuthenticatedSocket socket : sockets.all()) {
            socket.client().disconnect();
            disconnected++;
        }
        log.info("shutdown: every packet received was answered; {} sockets disconnected", disconnected);
    }

    @Override
    public void close() {
        try {
            drain(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        timers.shutdownNow();
    }
}
