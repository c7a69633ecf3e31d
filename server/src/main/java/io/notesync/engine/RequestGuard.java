package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.messages.HttpErrorMessage;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Refuses, before netty-socketio sees them, the Engine.IO requests the reference server refuses,
 * with its answer: HTTP 400 and {@code {"code":N,"message":"..."}}. netty-socketio answers some of
 * them with 200, 500 or a dropped connection. In the reference's order:
 * <ol>
 *   <li>0 "Transport unknown": {@code transport} missing or neither polling nor websocket;</li>
 *   <li>1 "Session ID unknown": a {@code sid} that names no open session;</li>
 *   <li>3 "Bad request": a request on a transport the session does not use (a poll after the
 *       upgrade, a second WebSocket after it), a WebSocket request without the upgrade, or a
 *       second poll while one is still open (which also closes the session);</li>
 *   <li>2 "Bad handshake method": a handshake that is not a GET;</li>
 *   <li>5 "Unsupported protocol version": a handshake whose {@code EIO} is not 4.</li>
 * </ol>
 */
@ChannelHandler.Sharable
public final class RequestGuard extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncEngineIoRequestGuard";
    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);

    enum Refusal {
        TRANSPORT_UNKNOWN(0, "Transport unknown"),
        UNKNOWN_SID(1, "Session ID unknown"),
        BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
        BAD_REQUEST(3, "Bad request"),
        UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

        final int code;
        final String message;

        Refusal(int code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    private final String connectPath;
    private final EngineSessions sessions;

    /** @param connectPath the Socket.IO path with its trailing slash, {@code /socket.io/} */
    public RequestGuard(String connectPath, EngineSessions sessions) {
        this.connectPath = connectPath;
        this.sessions = sessions;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && HttpMethod.OPTIONS != request.method()) {
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            if (query.path().equals(connectPath)) {
                Refusal refusal = check(ctx.channel(), request, query.parameters());
                if (refusal != null) {
                    refuse(ctx.channel(), request, refusal);
                    ReferenceCountUtil.release(msg);
                    return;
                }
                if (first(query.parameters(), "sid") == null) {
                    forgetClientSessionId(request.headers());
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * netty-socketio takes a handshake's session id from an {@code io} header or an {@code io}
     * cookie when there is one, and it sets that cookie on its polling answers. A browser sends
     * the cookie back on credentialed polling ({@code withCredentials}) from every tab, and to
     * every port of the host, so a second tab's handshake got the first tab's session. A new
     * session always gets a fresh id, as on the Node server: drop both before netty-socketio looks.
     */
    private static void forgetClientSessionId(HttpHeaders headers) {
        headers.remove("io");
        List<String> cookies = headers.getAll(HttpHeaderNames.COOKIE);
        if (cookies.isEmpty()) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String header : cookies) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                if (!"io".equals(cookie.name())) {
                    kept.add(ClientCookieEncoder.LAX.encode(cookie));
                }
            }
        }
        headers.remove(HttpHeaderNames.COOKIE);
        if (!kept.isEmpty()) {
            headers.set(HttpHeaderNames.COOKIE, String.join("; ", kept));
        }
    }

    private Refusal check(Channel channel, FullHttpRequest request, Map<String, List<String>> parameters) {
        String transport = first(parameters, "transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            return Refusal.TRANSPORT_UNKNOWN;
        }
        boolean upgrade = HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        String sid = first(parameters, "sid");
        if (sid != null) {
            return checkSession(channel, request, sid, transport, upgrade);
        }
        if (!HttpMethod.GET.equals(request.method())) {
            return Refusal.BAD_HANDSHAKE_METHOD;
        }
        if ("websocket".equals(transport) && !upgrade) {
            return Refusal.BAD_REQUEST;
        }
        if (!"4".equals(first(parameters, "EIO"))) {
            return Refusal.UNSUPPORTED_PROTOCOL_VERSION;
        }
        return null;
    }

    private Refusal checkSession(Channel channel, FullHttpRequest request, String sid, String transport, boolean upgrade) {
        EngineSession session = sessions.find(uuid(sid));
        if (session == null) {
            return Refusal.UNKNOWN_SID;
        }
        Transport current = session.head().getCurrentTransport();
        if ("websocket".equals(transport)) {
            // An upgrade is only possible from polling, and only once.
            if (!upgrade || current != Transport.POLLING) {
                return Refusal.BAD_REQUEST;
            }
            session.webSocket(channel);
            return null;
        }
        if (current != Transport.POLLING) {
            return Refusal.BAD_REQUEST;
        }
        if (HttpMethod.GET.equals(request.method())) {
            Channel pending = session.pendingPoll();
            if (pending != null && pending != channel && pending.isActive()
                    && pending.attr(EncoderHandler.WRITE_ONCE).get() == null) {
                log.debug("session {}: a second poll while one is open; closing", sid);
                sessions.close(session.head(), PacketType.CLOSE, "duplicate poll");
                return Refusal.BAD_REQUEST;
            }
            session.pendingPoll(channel);
        }
        return null;
    }

    private static void refuse(Channel channel, FullHttpRequest request, Refusal refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", refusal.code);
        body.put("message", refusal.message);
        // netty-socketio's own error message: 400, JSON, its CORS headers, then the connection closes.
        channel.attr(EncoderHandler.ORIGIN).set(request.headers().get(HttpHeaderNames.ORIGIN));
        channel.writeAndFlush(new HttpErrorMessage(body));
    }

    private static UUID uuid(String sid) {
        try {
            return UUID.fromString(sid);
        } catch (IllegalArgumentException e) {
            return new UUID(0, 0);
        }
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
