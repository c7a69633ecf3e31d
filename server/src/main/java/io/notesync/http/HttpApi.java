package io.notesync.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.notesync.auth.Login;
import io.notesync.auth.RefreshTokens;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenIssuer;
import io.notesync.auth.TokenVerifier;
import io.notesync.config.NotesyncConfig;
import io.notesync.metrics.NotesyncMetrics;
import io.notesync.notes.InvalidVideoUrlException;
import io.notesync.notes.Note;
import io.notesync.notes.NoteJson;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.NotesCursor;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.Video;
import io.notesync.notes.VideoSummary;
import io.notesync.notes.VideoUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP routes served on the Socket.IO port. It sits in the Netty pipeline ahead of
 * netty-socketio and passes on every request under the Socket.IO path. Routes that read the
 * database run on {@code blocking}, never on the event loop.
 */
@ChannelHandler.Sharable
public final class HttpApi extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncHttpApi";
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String socketIoPath;
    private final TokenVerifier verifier;
    private final NoteRepository repository;
    private final AuthRoutes auth;
    private final Executor blocking;
    private final NotesyncMetrics metrics;
    private final MetricsAccess metricsAccess;
    private final BooleanSupplier clusterUp;
    private final ForwardedHeaders forwarded;

    /**
     * @param login null when notesync cannot sign tokens (RS256/ES256): then login, refresh and
     *              logout answer 404 {@code loginDisabled}
     * @param clusterUp whether broadcasts reach the other nodes; null for a single node
     */
    public HttpApi(String socketIoPath, TokenVerifier verifier, NoteRepository repository, Login login,
                   RefreshTokens refreshTokens, TokenIssuer issuer, NotesyncConfig config, Executor blocking,
                   NotesyncMetrics metrics, BooleanSupplier clusterUp, ForwardedHeaders forwarded) {
        this.metrics = metrics;
        this.metricsAccess = new MetricsAccess(config.metrics().token());
        this.forwarded = forwarded;
        this.clusterUp = clusterUp;
        this.socketIoPath = socketIoPath;
        this.verifier = verifier;
        this.repository = repository;
        this.auth = new AuthRoutes(login, refreshTokens, issuer,
                Duration.ofSeconds(config.auth().accessTokenTtlSeconds()), new RefreshCookie(config.cookie()));
        this.blocking = blocking;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.equals(socketIoPath) || path.startsWith(socketIoPath + "/")) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            Route route = route(request.method(), path);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpRequestData data = new HttpRequestData(request.method(), path, uri, request.headers().copy(),
                    ByteBufUtil.getBytes(request.content()),
                    forwarded.resolve(ctx.channel().remoteAddress(), request.headers()).clientAddress());
            try {
                blocking.execute(() -> respond(ctx, keepAlive, () -> route.handle(data)));
            } catch (RejectedExecutionException e) {
                HttpResponses.send(ctx, keepAlive, HttpResponses.error(HttpError.storageUnavailable()));
            }
        } catch (HttpError error) {
            HttpResponses.send(ctx, HttpUtil.isKeepAlive(request), HttpResponses.error(error));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @FunctionalInterface
    private interface Route {
        HttpAnswer handle(HttpRequestData request);
    }

    private Route route(HttpMethod method, String path) {
        HttpMethod allowed = HttpMethod.GET;
        Route route = switch (path) {
            case "/health" -> request -> HttpAnswer.ok(health());
            case "/api/notes" -> request -> HttpAnswer.ok(notes(request));
            case "/api/videos" -> request -> HttpAnswer.ok(videos(request.header(HttpHeaderNames.AUTHORIZATION)));
            case "/metrics" -> request -> {
                metricsAccess.check(request.header(HttpHeaderNames.AUTHORIZATION));
                return HttpAnswer.ok(new HttpResponses.PlainText(PROMETHEUS_TEXT, metrics.scrape()));
            };
            case "/auth/login" -> {
                allowed = HttpMethod.POST;
                yield auth::login;
            }
            case "/refresh", "/auth/refresh" -> {
                allowed = HttpMethod.POST;
                yield auth::refresh;
            }
            case "/auth/logout" -> {
                allowed = HttpMethod.POST;
                yield auth::logout;
            }
            default -> throw HttpError.notFound(path);
        };
        if (!allowed.equals(method)) {
            throw HttpError.methodNotAllowed(method.name(), path);
        }
        return route;
    }

    private Object health() {
        if (!repository.isAvailable()) {
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "storageUnavailable", "the database does not answer");
        }
        if (clusterUp == null) {
            return Map.of("status", "ok", "database", "up");
        }
        // Still 200 when Redis is down: this node stores and confirms, so a load balancer must keep
        // sending it traffic; every node sees the same Redis, so taking nodes out would help nothing.
        boolean up = clusterUp.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "ok" : "degraded");
        body.put("database", "up");
        body.put("cluster", up ? "up" : "degraded");
        return body;
    }

    private Object notes(HttpRequestData request) {
        String username = authenticate(request.header(HttpHeaderNames.AUTHORIZATION));
        String videoUrl = request.single("videoUrl");
        if (videoUrl == null) {
            throw HttpError.badRequest("the videoUrl query parameter is required");
        }
        Video video;
        try {
            video = VideoUrls.canonicalize(videoUrl);
        } catch (InvalidVideoUrlException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        NotesCursor since = parseSince(request.single("since"));
        List<Note> read = repository.notesOf(username, video.key(), since == null ? null : since.readFrom());
        List<Map<String, Object>> json = new ArrayList<>(read.size());
        for (Note note : NotesCursor.unseen(since, read)) {
            json.add(NoteJson.of(note));
        }
        NotesCursor cursor = NotesCursor.after(since, read);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("videoKey", video.key());
        body.put("videoUrl", video.url());
        body.put("notes", json);
        body.put("cursor", cursor.encode());
        return body;
    }

    private Object videos(String authorization) {
        String username = authenticate(authorization);
        List<Map<String, Object>> videos = new ArrayList<>();
        for (VideoSummary summary : repository.videosOf(username)) {
            Map<String, Object> video = new LinkedHashMap<>();
            video.put("videoKey", summary.videoKey());
            video.put("videoUrl", summary.videoUrl());
            video.put("noteCount", summary.noteCount());
            video.put("lastUpdated", NoteJson.isoMillis(summary.lastUpdated()));
            videos.add(video);
        }
        return Map.of("videos", videos);
    }

    private String authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw HttpError.unauthorized("missing", "send Authorization: Bearer <access token>");
        }
        TokenCheck check = verifier.check(authorization.substring(7).trim());
        if (check instanceof TokenCheck.Rejected rejected) {
            throw HttpError.unauthorized(rejected.reason().wireName(), rejected.message());
        }
        return ((TokenCheck.Valid) check).username();
    }

    private static NotesCursor parseSince(String since) {
        if (since == null || since.isEmpty()) {
            return null;
        }
        try {
            return NotesCursor.decode(since);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("since must be a cursor from an earlier answer");
        }
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, Supplier<HttpAnswer> handler) {
        FullHttpResponse response;
        try {
            HttpAnswer answer = handler.get();
            response = HttpResponses.json(answer.status(), answer.body(), answer.setCookies());
        } catch (HttpError error) {
            response = HttpResponses.error(error);
        } catch (StorageUnavailableException e) {
            log.warn("HTTP request failed: {}", e.getMessage());
            response = HttpResponses.error(HttpError.storageUnavailable());
        } catch (RuntimeException e) {
            log.error("HTTP request failed", e);
            response = HttpResponses.error(new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "internal error"));
        }
        HttpResponses.send(ctx, keepAlive, response);
    }
}
