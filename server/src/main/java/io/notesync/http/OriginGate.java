package io.notesync.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.Set;

/**
 * The one place that decides on {@code Origin} and writes CORS headers, for the HTTP API and for
 * Socket.IO alike; it sits ahead of both in the pipeline.
 *
 * <p>Inbound: answers CORS preflights itself; refuses with 403 a Socket.IO request (polling or
 * WebSocket upgrade) or a request to the login, refresh, logout and note edit/delete routes whose {@code Origin} is
 * neither notesync's own nor allowed, before anything else sees it.
 *
 * <p>Outbound: removes every {@code Access-Control-*} header others wrote (netty-socketio echoes
 * any origin when its CORS is on), then adds {@code Vary: Origin} and, for an allowed origin only,
 * that origin with credentials. {@code *} is never sent.
 */
@ChannelHandler.Sharable
public final class OriginGate extends ChannelDuplexHandler {

    public static final String NAME = "notesyncOriginGate";
    /** Routes that change state on a simple cross-origin POST, which a browser sends without preflight. */
    static final Set<String> GUARDED_ROUTES = Set.of("/auth/login", "/refresh", "/auth/refresh", "/auth/logout",
            "/auth/password", "/auth/logout-all", "/api/export", "/api/account");

    private static final AttributeKey<String> ALLOWED_ORIGIN = AttributeKey.valueOf("notesync.allowedOrigin");
    private static final String ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    /** PATCH and DELETE /api/notes/{id}: a page of a disallowed origin must not get to change notes either. */
    static final String GUARDED_PREFIX = "/api/notes/";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type";

    private final OriginPolicy policy;
    private final ForwardedHeaders forwarded;
    private final String socketIoPath;

    public OriginGate(OriginPolicy policy, ForwardedHeaders forwarded, String socketIoPath) {
        this.policy = policy;
        this.forwarded = forwarded;
        this.socketIoPath = socketIoPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpHeaders headers = request.headers();
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        ForwardedHeaders.Source source = forwarded.resolve(ctx.channel().remoteAddress(), headers);
        OriginPolicy.Verdict verdict = policy.judge(origin, source.scheme(), source.host());
        // One request at a time per HTTP/1.1 connection: its answer is the next response written.
        ctx.channel().attr(ALLOWED_ORIGIN).set(verdict == OriginPolicy.Verdict.ALLOWED ? origin : null);

        String path = new QueryStringDecoder(request.uri()).path();
        boolean guarded = GUARDED_ROUTES.contains(path) || path.startsWith(GUARDED_PREFIX) || path.equals(socketIoPath) || path.startsWith(socketIoPath + "/");
        if (HttpMethod.OPTIONS.equals(request.method()) && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            answer(ctx, request, verdict == OriginPolicy.Verdict.REFUSED ? refused()
                    : preflight(verdict == OriginPolicy.Verdict.ALLOWED ? origin : null));
            return;
        }
        if (verdict == OriginPolicy.Verdict.REFUSED && guarded) {
            answer(ctx, request, refused());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            HttpHeaders headers = response.headers();
            headers.names().stream()
                    .filter(name -> name.regionMatches(true, 0, "Access-Control-", 0, 15))
                    .toList()
                    .forEach(headers::remove);
            headers.add(HttpHeaderNames.VARY, "Origin");
            String allowed = ctx.channel().attr(ALLOWED_ORIGIN).get();
            if (allowed != null) {
                headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
                headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
        }
        super.write(ctx, msg, promise);
    }

    /** Sent with ctx.writeAndFlush, so it does not pass through {@link #write}: its CORS headers are set here. */
    private static FullHttpResponse preflight(String allowedOrigin) {
        FullHttpResponse response = HttpResponses.json(HttpResponseStatus.NO_CONTENT, null, List.of());
        response.headers().add(HttpHeaderNames.VARY, "Origin");
        if (allowedOrigin != null) {
            response.headers()
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                    .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        }
        return response;
    }

    private static FullHttpResponse refused() {
        FullHttpResponse response = HttpResponses.error(new HttpError(HttpResponseStatus.FORBIDDEN, "originNotAllowed",
                "requests from this origin are not allowed"));
        response.headers().add(HttpHeaderNames.VARY, "Origin");
        return response;
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ReferenceCountUtil.release(request);
        HttpResponses.send(ctx, keepAlive, response);
    }
}
