package io.notesync.engine;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.namespace.Namespace;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;

/**
 * Sits right after netty-socketio's authorize handler, which has just created the session of a
 * handshake request, and before its transports, which would at once join the session to the
 * main namespace and fire the namespace's connect listeners: at the Engine.IO handshake, before
 * the client has sent its Socket.IO CONNECT ({@code 40}) and while nothing may yet be sent to it.
 *
 * <p>netty-socketio skips that early join when the session already holds a client for a
 * namespace equal to the main one (namespaces are equal by name). So each new session gets a
 * stand-in: a client of a private, listener-less namespace named like the main one. The real
 * join happens when the client's CONNECT arrives, by netty-socketio's own packet handler; should
 * the session end before, the stand-in's disconnect lets netty-socketio clean the session up.
 * One stand-in serves every session: netty-socketio keeps the first key it was given in the
 * session's map of namespace clients for the session's whole life, and a Namespace of its own
 * per session (eight concurrent maps and eight queues) was the largest item of an idle socket's
 * memory (docs/benchmark.md, "Where an idle socket's memory goes"). The
 * shared one does not track its clients ({@code addClient} does nothing), so it holds none.
 *
 * <p>It also replaces netty-socketio's 100 ms-tick ping with {@link Heartbeat}, starts the
 * {@link ConnectTimeout}, and gives the session its counted outgoing queue ({@link HeldPacketQueue}).
 */
@ChannelHandler.Sharable
public final class SessionOpener extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncSessionOpener";

    private final Configuration configuration;
    private final EngineSessions sessions;
    private final Heartbeat heartbeat;
    private final ConnectTimeout connectTimeout;
    private final Namespace standIn;
    private final OutputBudget budget;

    public SessionOpener(Configuration configuration, EngineSessions sessions, Heartbeat heartbeat,
                         ConnectTimeout connectTimeout, OutputBudget budget) {
        this.budget = budget;
        this.configuration = configuration;
        this.sessions = sessions;
        this.heartbeat = heartbeat;
        this.connectTimeout = connectTimeout;
        this.standIn = new Namespace(Namespace.DEFAULT_NAME, configuration) {
            @Override
            public void addClient(SocketIOClient client) {
                // Never a room or a broadcast target: nothing to track, so nothing kept per session.
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && isHandshake(request)) {
            ClientHead head = ctx.channel().attr(ClientHead.CLIENT).get();
            if (head != null && head.getNamespaces().isEmpty() && sessions.find(head.getSessionId()) == null) {
                open(head, ctx.channel(), isWebSocket(request));
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void open(ClientHead head, Channel channel, boolean webSocket) {
        head.cancelPing();
        head.addNamespaceClient(standIn);
        EngineSession session = sessions.open(head);
        session.output(SessionQueues.install(head, budget, sessions));
        if (webSocket) {
            session.webSocket(channel);
        }
        heartbeat.schedulePing(session);
        connectTimeout.start(session);
    }

    private static boolean isWebSocket(FullHttpRequest request) {
        return "websocket".equals(new QueryStringDecoder(request.uri()).parameters().getOrDefault("transport", List.of("")).get(0));
    }

    private static boolean isHandshake(FullHttpRequest request) {
        return !new QueryStringDecoder(request.uri()).parameters().containsKey("sid");
    }
}
