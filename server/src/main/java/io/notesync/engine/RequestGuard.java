package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.messages.HttpErrorMessage;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Refuses, before netty-socketio sees them, the Engine.IO requests the reference server refuses,
 * with its answer: HTTP 400 and {@code {"code":N,"message":"..."}}. netty-socketio answers some of
 * them with 200, 500 or a dropped connection. In the reference's order:
 * <ol>
 *   <li>0 "Transport unknown": {@code transport} missing or neither polling nor websocket;</li>
 *   <li>1 "Session ID unknown": a {@code sid} that names no open session;</li>
 *   <li>3 "Bad request": a poll after the upgrade, a WebSocket request without the upgrade, or a
 *       second poll while one is still open (which also closes the session);</li>
 *   <li>2 "Bad handshake method": a handshake that is not a GET;</li>
 *   <li>5 "Unsupported protocol version": a handshake whose {@code EIO} is not 4.</li>
 * </ol>
 * A WebSocket for a session that has one already (upgraded, or an upgrade under way) is accepted
 * and closed at once, as the reference does.
 *
 * <p>Once a session is closed, every later request for its {@code sid} is refused with 1: the
 * decision and the close both happen under the session's gate ({@link EngineSession#exclusively}).
 */
@ChannelHandler.Sharable
public final class RequestGuard extends ChannelDuplexHandler {

    public static final String NAME = "notesyncEngineIoRequestGuard";
    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);
    /** How long a poll waits for an upgrade's {@code 5} that may be on its way (the reference's check interval is 100 ms). */
    private static final long UPGRADE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long UPGRADE_WAIT_STEP_MS = 5;

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
    private final Heartbeat heartbeat;

    /** @param connectPath the Socket.IO path with its trailing slash, {@code /socket.io/} */
    public RequestGuard(String connectPath, EngineSessions sessions, Heartbeat heartbeat) {
        this.connectPath = connectPath;
        this.sessions = sessions;
        this.heartbeat = heartbeat;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && HttpMethod.OPTIONS != request.method()) {
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            if (query.path().equals(connectPath)) {
                admit(ctx, request, query.parameters(), System.nanoTime() + UPGRADE_WAIT_NANOS);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void admit(ChannelHandlerContext ctx, FullHttpRequest request, Map<String, List<String>> parameters,
                       long upgradeWaitDeadline) {
        String transport = first(parameters, "transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            refuse(ctx, request, Refusal.TRANSPORT_UNKNOWN);
            return;
        }
        String sid = first(parameters, "sid");
        EngineSession session = sid == null ? null : sessions.find(uuid(sid));
        if (session == null) {
            Refusal refusal = check(request, parameters);
            if (refusal != null) {
                refuse(ctx, request, refusal);
                return;
            }
            forgetClientSessionId(request.headers());
            ctx.fireChannelRead(request);
            return;
        }
        // Decided and passed on under the session's gate, so that a close or an upgrade decided on
        // another event-loop thread lands wholly before this request or wholly after it.
        session.exclusively(() -> {
            if (!session.isEnded() && session.pongOverdue()) {
                // Its timer may not have run yet on a busy machine; the deadline has passed all the same.
                heartbeat.timedOut(session);
            }
            if (session.isEnded()) {
                refuse(ctx, request, Refusal.UNKNOWN_SID);
                return;
            }
            boolean poll = "polling".equals(transport) && HttpMethod.GET.equals(request.method());
            if (poll && session.upgradePending() && System.nanoTime() - upgradeWaitDeadline < 0) {
                // A conforming client sends no new poll once it has the 3probe, until its 5 is
                // through: this poll was either sent before the 3probe reached the client, or after
                // a 5 that another event-loop thread has not read yet. Give that 5 a moment, as the
                // reference (one thread, which reads the 5 first) would; else the poll goes on and
                // gets its noop (UpgradeNoopHandler), at most as late as the reference's would.
                ctx.executor().schedule(() -> {
                    if (ctx.channel().isActive()) {
                        admit(ctx, request, parameters, upgradeWaitDeadline);
                    } else {
                        ReferenceCountUtil.release(request);
                    }
                }, UPGRADE_WAIT_STEP_MS, TimeUnit.MILLISECONDS);
                return;
            }
            Outcome outcome = checkSession(ctx.channel(), request, session, transport);
            switch (outcome) {
                case PASS -> passOn(ctx, request);
                case PASS_THEN_CLOSE -> {
                    passOn(ctx, request);
                    sessions.close(session.head(), PacketType.CLOSE, "duplicate poll");
                }
                case ACCEPT_AND_CLOSE -> acceptAndClose(ctx.channel(), request);
                case BAD_REQUEST -> refuse(ctx, request, Refusal.BAD_REQUEST);
            }
        });
    }

    /**
     * netty-socketio writes a POST's {@code ok} before it hands the POST's packets on, so a client
     * could read the {@code ok} of a POST whose close packet (or invalid packet) had not closed the
     * session yet, and have its next poll admitted. The reference answers after the packets are
     * handled; so does this: flushes are held until the packets have gone through.
     */
    private static void passOn(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            ctx.fireChannelRead(request);
            return;
        }
        Runnable release = holdAnswer(ctx.channel());
        try {
            ctx.fireChannelRead(request);
        } finally {
            release.run();
        }
    }

    /**
     * Keeps what is written to this channel from leaving until the returned action has run (on the
     * channel's event loop): a POST's {@code ok} waits for its packets to be handled.
     */
    static Runnable holdAnswer(Channel channel) {
        Attribute<Hold> attribute = channel.attr(HOLD);
        Hold hold = attribute.get();
        if (hold == null) {
            hold = new Hold();
            attribute.set(hold);
        }
        hold.holders++;
        Hold held = hold;
        return () -> {
            if (--held.holders == 0) {
                attribute.set(null);
                if (held.flushPending) {
                    channel.flush();
                }
            }
        };
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        Hold hold = ctx.channel().attr(HOLD).get();
        if (hold != null) {
            hold.flushPending = true;
            return;
        }
        ctx.flush();
    }

    /** Confined to the channel's event loop. */
    private static final class Hold {
        int holders;
        boolean flushPending;
    }

    private static final AttributeKey<Hold> HOLD = AttributeKey.valueOf("notesync.answerHold");

    /**
     * A WebSocket for a session that already has one (upgraded, or probing): the reference accepts
     * the connection and closes it at once, rather than refusing the handshake.
     */
    private void acceptAndClose(Channel channel, FullHttpRequest request) {
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST) + connectPath;
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, true).newHandshaker(request);
        try {
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
                return;
            }
            handshaker.handshake(channel, request).addListener(done -> {
                if (done.isSuccess()) {
                    channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
                } else {
                    channel.close();
                }
            });
        } finally {
            ReferenceCountUtil.release(request);
        }
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

    /**
     * The other half of {@link #forgetClientSessionId}: netty-socketio sets {@code io=<sid>} (no
     * HttpOnly, no SameSite) on its handshake and polling answers, a cookie nothing reads; socket.io
     * v4's server sets none by default. Removed from every answer that passes here.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            List<String> cookies = response.headers().getAll(HttpHeaderNames.SET_COOKIE);
            if (!cookies.isEmpty()) {
                response.headers().remove(HttpHeaderNames.SET_COOKIE);
                for (String cookie : cookies) {
                    if (!cookie.startsWith("io=")) {
                        response.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
                    }
                }
            }
        }
        super.write(ctx, msg, promise);
    }

    /** A request that names no open session: a handshake, or a {@code sid} unknown (or closed). */
    private static Refusal check(FullHttpRequest request, Map<String, List<String>> parameters) {
        String transport = first(parameters, "transport");
        if (first(parameters, "sid") != null) {
            return Refusal.UNKNOWN_SID;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            return Refusal.BAD_HANDSHAKE_METHOD;
        }
        if ("websocket".equals(transport) && !isUpgrade(request)) {
            return Refusal.BAD_REQUEST;
        }
        if (!"4".equals(first(parameters, "EIO"))) {
            return Refusal.UNSUPPORTED_PROTOCOL_VERSION;
        }
        return null;
    }

    private enum Outcome { PASS, PASS_THEN_CLOSE, ACCEPT_AND_CLOSE, BAD_REQUEST }

    /** A request for an open session; called under its gate. */
    private Outcome checkSession(Channel channel, FullHttpRequest request, EngineSession session, String transport) {
        Transport current = session.head().getCurrentTransport();
        if ("websocket".equals(transport)) {
            if (!isUpgrade(request)) {
                return Outcome.BAD_REQUEST;
            }
            // An upgrade is only possible from polling, and only once at a time.
            Channel probe = session.webSocket();
            if (current != Transport.POLLING || (probe != null && probe != channel && probe.isActive())) {
                return Outcome.ACCEPT_AND_CLOSE;
            }
            session.webSocket(channel);
            return Outcome.PASS;
        }
        if (current != Transport.POLLING) {
            return Outcome.BAD_REQUEST;
        }
        if (HttpMethod.GET.equals(request.method())) {
            Channel pending = session.pendingPoll();
            if (pending != null && pending != channel && pending.isActive()
                    && pending.attr(EncoderHandler.WRITE_ONCE).get() == null) {
                log.debug("session {}: a second poll while one is open; closing", session.head().getSessionId());
                if (ConnectionOrder.connectedBefore(channel, pending)) {
                    // This poll's connection came first, though another event-loop thread got to the
                    // later one first: as on the single-threaded reference, the first poll is the
                    // one held (and answered with the close packet), the later one is refused.
                    refuseDetached(pending, Refusal.BAD_REQUEST);
                    session.pendingPoll(channel);
                    return Outcome.PASS_THEN_CLOSE;
                }
                sessions.close(session.head(), PacketType.CLOSE, "duplicate poll");
                return Outcome.BAD_REQUEST;
            }
            session.pendingPoll(channel);
        }
        return Outcome.PASS;
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, Refusal refusal) {
        try {
            refuse(ctx.channel(), request, refusal);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    private static void refuse(Channel channel, FullHttpRequest request, Refusal refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", refusal.code);
        body.put("message", refusal.message);
        // netty-socketio's own error message: 400, JSON, its CORS headers, then the connection closes.
        channel.attr(EncoderHandler.ORIGIN).set(request.headers().get(HttpHeaderNames.ORIGIN));
        channel.writeAndFlush(new HttpErrorMessage(body));
    }

    /** Refuses a request already passed on (a poll netty-socketio holds), on its own event loop. */
    private static void refuseDetached(Channel channel, Refusal refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", refusal.code);
        body.put("message", refusal.message);
        channel.eventLoop().execute(() -> {
            if (channel.isActive() && channel.attr(EncoderHandler.WRITE_ONCE).get() == null) {
                channel.attr(EncoderHandler.WRITE_ONCE).set(true);
                channel.writeAndFlush(new HttpErrorMessage(body));
            }
        });
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
