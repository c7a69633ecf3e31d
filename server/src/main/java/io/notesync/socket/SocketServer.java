package io.notesync.socket;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.namespace.Namespace;
import io.netty.channel.ChannelFuture;
import io.notesync.auth.TokenVerifier;
import io.notesync.config.NotesyncConfig;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.PacketLimits;
import io.notesync.notes.PacketParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** netty-socketio, configured for PROTOCOL.md, with notesync's listeners and pipeline handlers. */
public final class SocketServer implements AutoCloseable {

    public static final String SOCKET_IO_PATH = "/socket.io";
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

    private final SocketIOServer server;
    private final ScheduledExecutorService timers;
    private final Sessions sessions;
    private volatile int boundPort;

    public SocketServer(NotesyncConfig config, TokenVerifier verifier, NoteRepository repository,
                        List<PipelineHandler> httpHandlers, Clock clock) {
        this.server = new SocketIOServer(socketIoConfiguration(config));
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "token-expiry");
            thread.setDaemon(true);
            return thread;
        });
        this.sessions = new Sessions(timers, clock);

        Namespace defaultNamespace = (Namespace) server.getNamespace(Namespace.DEFAULT_NAME);
        ConnectionGate gate = new ConnectionGate(verifier, sessions, config.socketio().allowQueryToken());
        server.setPipelineFactory(new NotesyncChannelInitializer(httpHandlers, new ConnectObserver(defaultNamespace, gate)));

        PacketParser parser = new PacketParser(new PacketLimits(config.limits().maxNotesPerPacket(), config.limits().maxNoteChars()));
        server.addEventListener(PacketFlow.EVENT, Object.class,
                new PacketFlow(sessions, gate, verifier, parser, repository, server::getRoomOperations, clock));
        server.addDisconnectListener(client -> {
            SocketSession session = sessions.of(client);
            sessions.close(client);
            if (session != null) {
                log.info("socket {} of user {} disconnected", client.getSessionId(), session.username());
            }
        });
    }

    private static Configuration socketIoConfiguration(NotesyncConfig config) {
        Configuration socketIo = new Configuration();
        socketIo.setHostname(config.server().host());
        socketIo.setPort(config.server().port());
        socketIo.setContext(SOCKET_IO_PATH);
        socketIo.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        socketIo.setPingInterval((int) config.socketio().pingIntervalMs());
        socketIo.setPingTimeout((int) config.socketio().pingTimeoutMs());
        socketIo.setMaxFramePayloadLength(config.socketio().maxPayloadBytes());
        socketIo.setMaxHttpContentLength(config.socketio().maxPayloadBytes());
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

    public int connectedSockets() {
        return sessions.size();
    }

    @Override
    public void close() {
        server.stop();
        timers.shutdownNow();
    }
}
