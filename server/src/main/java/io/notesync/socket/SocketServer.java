package io.notesync.socket;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.store.StoreFactory;
import io.netty.channel.ChannelFuture;
import io.notesync.auth.TokenVerifier;
import io.notesync.config.NotesyncConfig;
import io.notesync.metrics.NotesyncMetrics;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.PacketLimits;
import io.notesync.notes.PacketParser;
import io.notesync.socket.engineio.ConnectTimeout;
import io.notesync.socket.engineio.EngineSessions;
import io.notesync.socket.engineio.HandshakeJson;
import io.notesync.socket.engineio.Heartbeat;
import io.notesync.socket.engineio.PacketGuard;
import io.notesync.socket.engineio.RequestGuard;
import io.notesync.socket.engineio.SessionOpener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** netty-socketio, configured for PROTOCOL.md, with notesync's listeners and pipeline handlers. */
public final class SocketServer implements AutoCloseable {

    public static final String SOCKET_IO_PATH = "/socket.io";
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    /** Netty's own graceful stop gives each event loop group up to 15 s. */
    private static final Duration NETTY_STOP_TIMEOUT = Duration.ofSeconds(20);

    private final SocketIOServer server;
    private final ScheduledExecutorService timers;
    private final ScheduledThreadPoolExecutor engineTimers;
    private final Sessions sessions;
    private final ConnectionGate gate;
    private final Duration shutdownTimeout;
    private final PacketFlow packets;
    private volatile int boundPort;

    /**
     * @param storeFactory how room broadcasts reach other nodes; null for a single node (netty-socketio's
     *                     in-memory store)
     */
    public SocketServer(NotesyncConfig config, TokenVerifier verifier, NoteRepository repository,
                        List<PipelineHandler> httpHandlers, NotesyncMetrics metrics, Clock clock,
                        StoreFactory storeFactory) {
        this.server = new SocketIOServer(socketIoConfiguration(config, storeFactory));
        this.shutdownTimeout = config.server().shutdownTimeout();
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "token-expiry");
            thread.setDaemon(true);
            return thread;
        });
        NotesyncConfig.Limits limits = config.limits();
        RateLimiter rateLimiter = new RateLimiter(limits.packetsPerSecond(), limits.packetBurst(), System::nanoTime);
        this.sessions = new Sessions(limits.maxConnectionsPerUser(), timers, clock, rateLimiter::forget);
        this.engineTimers = engineTimers();

        Namespace defaultNamespace = (Namespace) server.getNamespace(Namespace.DEFAULT_NAME);
        this.gate = new ConnectionGate(verifier, sessions, config.socketio().allowQueryToken());
        NotesyncConfig.SocketIo socketio = config.socketio();
        EngineSessions engineSessions = new EngineSessions();
        Heartbeat heartbeat = new Heartbeat(engineTimers, engineSessions, socketio.pingIntervalMs(), socketio.pingTimeoutMs());
        ConnectTimeout connectTimeout = new ConnectTimeout(engineTimers, engineSessions, socketio.connectTimeoutMs());
        server.setPipelineFactory(new NotesyncChannelInitializer(httpHandlers,
                new RequestGuard(SOCKET_IO_PATH + "/", engineSessions),
                new PacketGuard(engineSessions, heartbeat, name -> server.getNamespace(name) != null, Set.of(PacketFlow.EVENT)),
                new SessionOpener(server.getConfiguration(), engineSessions, heartbeat, connectTimeout),
                engineSessions,
                new ConnectObserver(defaultNamespace, gate)));

        defaultNamespace.addAuthTokenListener((authData, client) -> {
            gate.admitBeforeAnswer(client);
            return AuthTokenResult.AuthTokenResultSuccess;
        });

        PacketParser parser = new PacketParser(new PacketLimits(limits.maxNotesPerPacket(), limits.maxNoteChars()));
        this.packets = new PacketFlow(sessions, gate, verifier, rateLimiter, parser, repository, server::getRoomOperations,
                metrics, clock);
        server.addEventListener(PacketFlow.EVENT, Object.class, packets);
        for (Transport transport : Transport.values()) {
            metrics.connections(transport.getValue(), sessions, all -> all.countOn(transport));
        }
        server.addDisconnectListener(client -> {
            SocketSession session = sessions.of(client);
            sessions.close(client);
            gate.forget(client);
            if (session != null) {
                log.info("socket {} of user {} disconnected", client.getSessionId(), session.username());
            }
        });
    }

    private static Configuration socketIoConfiguration(NotesyncConfig config, StoreFactory storeFactory) {
        Configuration socketIo = new Configuration();
        if (storeFactory != null) {
            socketIo.setStoreFactory(storeFactory);
        }
        socketIo.setHostname(config.server().host());
        socketIo.setPort(config.server().port());
        socketIo.setContext(SOCKET_IO_PATH);
        socketIo.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        socketIo.setPingInterval((int) config.socketio().pingIntervalMs());
        socketIo.setPingTimeout((int) config.socketio().pingTimeoutMs());
        socketIo.setMaxFramePayloadLength(config.socketio().maxPayloadBytes());
        socketIo.setMaxHttpContentLength(config.socketio().maxPayloadBytes());
        // The handshake must announce maxPayload too (socket.io-client splits polling batches by it).
        socketIo.setJsonSupport(new HandshakeJson(new JacksonJsonSupport(), config.socketio().maxPayloadBytes()));
        // STACK.md: per-message deflate costs ~100 KiB per idle socket; the Node server declines it too.
        socketIo.setWebsocketCompression(config.socketio().websocketCompression());
        socketIo.setHttpCompression(false);
        // Answers are sent when the database has acknowledged, not when the listener returns.
        socketIo.setAckMode(AckMode.MANUAL);
        socketIo.setAllowCustomRequests(true);
        // Its CORS echoes any Origin (STACK.md); notesync's OriginGate writes CORS headers instead.
        socketIo.setEnableCors(false);
        socketIo.setAddVersionHeader(false);
        socketIo.setExceptionListener(new LoggingExceptionListener());
        SocketConfig socket = new SocketConfig();
        // A restart after kill -9 must bind at once, not wait out TIME_WAIT (STACK.md).
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        socketIo.setSocketConfig(socket);
        return socketIo;
    }

    /** Heartbeats and connect timeouts: millisecond timers, one thread, cancelled tasks dropped at once. */
    private static ScheduledThreadPoolExecutor engineTimers() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "engineio-timers");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Binds and starts serving; throws when the port cannot be bound. */
    public void start() {
        // startAsync() hands back the bind's ChannelFuture: the only way to learn a port picked for 0.
        ChannelFuture bind = (ChannelFuture) server.startAsync();
        bind.syncUninterruptibly();
        boundPort = ((InetSocketAddress) bind.channel().localAddress()).getPort();
        log.info("listening on {}:{} (Socket.IO at {}/, HTTP API on the same port)",
                server.getConfiguration().getHostname(), boundPort, SOCKET_IO_PATH);
    }

    /** The bound port: the configured one, or the one picked when 0 was configured. */
    public int port() {
        return boundPort;
    }

    /**
     * Sends {@code event} to every socket of {@code username}: the user's room, so through the
     * cluster fan-out like {@code fPacket}, but without excluding a sender (a change made over HTTP
     * has none). Safe from any thread.
     */
    public void toEverySocket(String username, String event, Map<String, Object> body) {
        server.getRoomOperations(username).sendEvent(event, body);
    }

    public int connectedSockets() {
        return sessions.size();
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
        int sockets = 0;
        for (SocketSession session : sessions.all()) {
            session.client().disconnect();
            sockets++;
        }
        log.info("shutdown: every packet received was answered; {} sockets disconnected", sockets);
    }

    @Override
    public void close() {
        try {
            drain(shutdownTimeout);
            stopNetty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        engineTimers.shutdownNow();
    }

    /**
     * netty-socketio's stop() waits without a bound for its event loops to terminate. A server
     * that had run for hours under test traffic was seen waiting there forever after SIGTERM, its
     * loops idle; not reproduced on a fresh server. Bounded here, so the rest of the shutdown (the
     * writer, the store) still runs and the process exits.
     */
    private void stopNetty() throws InterruptedException {
        Thread stopper = new Thread(server::stop, "socketio-stop");
        stopper.setDaemon(true);
        stopper.start();
        stopper.join(NETTY_STOP_TIMEOUT.toMillis());
        if (stopper.isAlive()) {
            log.warn("netty-socketio did not stop within {} s; going on with the shutdown", NETTY_STOP_TIMEOUT.toSeconds());
        }
    }
}
