package io.notesync.engine;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.BroadcastOperations;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.listener.DataListener;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import io.netty.channel.ChannelFuture;
import io.notesync.cluster.RedisFanout;
import io.notesync.config.NotesyncConfig;
import io.notesync.config.TlsFiles;
import io.notesync.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one door into the engine: netty-socketio 2.0.14 configured for the Engine.IO v4 /
 * Socket.IO v5 protocol, with every workaround of this package installed in its pipeline (see
 * package-info). The rest of notesync sees sockets only through netty-socketio's public API
 * ({@link SocketIOClient}, {@link BroadcastOperations}, {@link DataListener}) and the three
 * moments of {@link Callbacks}.
 */
public final class SocketEngine implements AutoCloseable {

    /** Where Socket.IO is served; HTTP handlers in front of it leave this path alone. */
    public static final String PATH = "/socket.io";
    private static final Logger log = LoggerFactory.getLogger(SocketEngine.class);
    /** Netty's own graceful stop gives each event loop group up to 15 s. */
    private static final Duration NETTY_STOP_TIMEOUT = Duration.ofSeconds(20);
    /** How far behind Heartbeat's deadline netty-socketio's own ping timeout fires, as a backstop. */
    private static final long NETTY_SOCKETIO_PING_TIMEOUT_LAG_MS = 5_000;

    /** What notesync is told about a socket on the default namespace. Called on Netty event loops: never block. */
    public interface Callbacks {
        /**
         * The client's CONNECT carries an auth payload ({@code client.getHandshakeData().getAuthToken()})
         * and has not been answered yet: a socket admitted here hears "connected" after it was admitted.
         */
        void connecting(SocketIOClient client);

        /** The client's CONNECT (with or without an auth payload) has been answered: the socket can be told things. */
        void connected(SocketIOClient client);

        /** The socket is gone. */
        void closed(SocketIOClient client);
    }

    private final SocketIOServer server;
    private final NotesyncConfig.SocketIo socketio;
    private final Callbacks callbacks;
    private final Set<String> events = new LinkedHashSet<>();
    private final ScheduledThreadPoolExecutor timers = timers();
    /** null: plain HTTP. */
    private final TlsContext tls;
    private final OutputBudget outputBudget;
    private volatile int boundPort;

    /**
     * @param cluster how room broadcasts reach other nodes; null for a single node
     */
    public SocketEngine(NotesyncConfig config, RedisFanout cluster, Callbacks callbacks) {
        this.server = new SocketIOServer(configuration(config, cluster));
        this.socketio = config.socketio();
        this.tls = config.server().tls().enabled() ? TlsContext.of(TlsFiles.load(config.server().tls())) : null;
        this.callbacks = callbacks;
        this.outputBudget = new OutputBudget(socketio.maxBufferedBytes(), socketio.maxBufferedBytesTotal());
        server.addDisconnectListener(callbacks::closed);
        defaultNamespace().addAuthTokenListener((authData, client) -> {
            callbacks.connecting(client);
            return AuthTokenResult.AuthTokenResultSuccess;
        });
    }

    /** The classes a room broadcast to other nodes is made of: what {@link RedisFanout#start} must let through. */
    public static Set<String> broadcastClasses() {
        return ClusterStoreFactory.BROADCAST_CLASSES;
    }

    /** Routes an event of the default namespace to {@code listener}; every other event is ignored. Call before {@link #start}. */
    public void onEvent(String event, DataListener<Object> listener) {
        events.add(event);
        server.addEventListener(event, Object.class, listener);
    }

    /**
     * The Netty event loop the calling thread belongs to (a listener's thread), so that work that
     * completes elsewhere can come back to it; an executor that runs in place when called elsewhere.
     */
    public static java.util.concurrent.Executor callersEventLoop() {
        return EventLoops.current();
    }

    /** Broadcasts to the sockets in {@code room}, on this node and (in a cluster) on the others. */
    public BroadcastOperations room(String room) {
        return server.getRoomOperations(room);
    }

    /**
     * Installs the pipeline, binds and starts serving; throws when the port cannot be bound.
     *
     * @param front sharable HTTP handlers that go into every connection's pipeline ahead of Socket.IO, in order
     */
    public void start(List<PipelineHandler> front) {
        EngineSessions engineSessions = new EngineSessions();
        Heartbeat heartbeat = new Heartbeat(timers, engineSessions, socketio.pingIntervalMs(), socketio.pingTimeoutMs());
        ConnectTimeout connectTimeout = new ConnectTimeout(timers, engineSessions, socketio.connectTimeoutMs());
        server.setPipelineFactory(new NotesyncChannelInitializer(tls == null ? null : tls.context(), front,
                new RequestGuard(PATH + "/", engineSessions, heartbeat),
                new PacketGuard(engineSessions, heartbeat, name -> server.getNamespace(name) != null, events),
                new SessionOpener(server.getConfiguration(), engineSessions, heartbeat, connectTimeout, outputBudget),
                engineSessions,
                new ConnectObserver(defaultNamespace(), callbacks::connected),
                outputBudget));
        // startAsync() hands back the bind's ChannelFuture: the only way to learn a port picked for 0.
        ChannelFuture bind = (ChannelFuture) server.startAsync();
        bind.syncUninterruptibly();
        boundPort = ((InetSocketAddress) bind.channel().localAddress()).getPort();
        log.info("listening on {}:{} (Socket.IO at {}/, HTTP API on the same port)",
                server.getConfiguration().getHostname(), boundPort, PATH);
        log.info("output held for peers: at most {} bytes per socket, {} bytes in all",
                socketio.maxBufferedBytes(), outputBudget.total());
        if (tls != null) {
            log.info("TLS on: https and wss on port {}; {}", boundPort, tls.description());
        } else {
            log.info("TLS off: plain http and ws on port {} (server.tls.certFile/keyFile, or a proxy that terminates TLS)",
                    boundPort);
        }
    }

    /** The bound port: the configured one, or the one picked when 0 was configured. */
    public int port() {
        return boundPort;
    }

    /** What the server holds for peers that have not taken it, and who was cut off for it. */
    public OutputBudget outputBudget() {
        return outputBudget;
    }

    private Namespace defaultNamespace() {
        return (Namespace) server.getNamespace(Namespace.DEFAULT_NAME);
    }

    private static Configuration configuration(NotesyncConfig config, RedisFanout cluster) {
        Configuration socketIo = new Configuration();
        if (cluster != null) {
            socketIo.setStoreFactory(new ClusterStoreFactory(cluster));
        }
        socketIo.setHostname(config.server().host());
        socketIo.setPort(config.server().port());
        socketIo.setContext(PATH);
        socketIo.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        socketIo.setPingInterval((int) config.socketio().pingIntervalMs());
        // netty-socketio's own ping timeout, a backstop behind Heartbeat's. With the same value both
        // fired at the same instant, and on a busy machine netty-socketio's won now and then: its
        // disconnect sends a Socket.IO 41 where the reference closes with the Engine.IO close packet.
        socketIo.setPingTimeout((int) (config.socketio().pingTimeoutMs() + NETTY_SOCKETIO_PING_TIMEOUT_LAG_MS));
        socketIo.setMaxFramePayloadLength(config.socketio().maxPayloadBytes());
        socketIo.setMaxHttpContentLength(config.socketio().maxPayloadBytes());
        // The handshake must announce maxPayload too (socket.io-client splits polling batches by it).
        socketIo.setJsonSupport(new HandshakeJson(new JacksonJsonSupport(), config.socketio().maxPayloadBytes(),
                config.socketio().pingTimeoutMs()));
        // Per-message deflate multiplies an idle socket's memory (docs/benchmark.md, "Measured outside the
        // benchmark"); the Node server declines it too.
        socketIo.setWebsocketCompression(config.socketio().websocketCompression());
        socketIo.setHttpCompression(false);
        // Answers are sent when the database has acknowledged, not when the listener returns.
        socketIo.setAckMode(AckMode.MANUAL);
        socketIo.setAllowCustomRequests(true);
        // Its CORS echoes any Origin with credentials; notesync's OriginGate writes CORS headers instead.
        socketIo.setEnableCors(false);
        socketIo.setAddVersionHeader(false);
        socketIo.setExceptionListener(new LoggingExceptionListener());
        SocketConfig socket = new SocketConfig();
        // A restart after kill -9 must bind at once, not wait out TIME_WAIT (about 60 s without SO_REUSEADDR).
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        socketIo.setSocketConfig(socket);
        return socketIo;
    }

    /** Heartbeats and connect timeouts: millisecond timers, one thread, cancelled tasks dropped at once. */
    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("engineio-timers"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Stops serving. The caller has drained its sockets first. */
    @Override
    public void close() {
        try {
            stopNetty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        outputBudget.close();
    }

    /**
     * netty-socketio's stop() waits without a bound for its event loops to terminate. A server
     * that had run for hours under test traffic was seen waiting there forever after SIGTERM, its
     * loops idle; not reproduced on a fresh server. Bounded here, so the rest of the shutdown (the
     * writer, the store) still runs and the process exits.
     */
    private void stopNetty() throws InterruptedException {
        Thread stopper = DaemonThreads.named("socketio-stop").newThread(server::stop);
        stopper.start();
        stopper.join(NETTY_STOP_TIMEOUT.toMillis());
        if (stopper.isAlive()) {
            log.warn("netty-socketio did not stop within {} s; going on with the shutdown", NETTY_STOP_TIMEOUT.toSeconds());
        }
    }
}
