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
import io.notesync.account.Accounts;
import io.notesync.auth.Login;
import io.notesync.auth.PasswordPolicy;
import io.notesync.auth.RefreshTokens;
import io.notesync.auth.TokenIssuer;
import io.notesync.auth.TokenVerifier;
import io.notesync.config.NotesyncConfig;
import io.notesync.metrics.NotesyncMetrics;
import io.notesync.notes.NoteJson;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.PacketLimits;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.VideoSummary;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
    private final BearerAuth bearer;
    private final NoteRepository repository;
    private final NoteRoutes notes;
    private final AuthRoutes auth;
    private final AccountRoutes account;
    private final Executor blocking;
    /** mongodb.timeoutMs: what one request may wait for the database in all, however many queries it makes. */
    private final long requestDeadlineMs;
    private final NotesyncMetrics metrics;
    private final MetricsAccess metricsAccess;
    private final BooleanSupplier clusterUp;
    private final ForwardedHeaders forwarded;

    /**
     * @param login null when notesync cannot sign tokens (RS256/ES256): then login, refresh and
     *              logout answer 404 {@code loginDisabled}
     * @param clusterUp whether broadcasts reach the other nodes; null for a single node
     * @param events how an edit or a delete reaches the user's sockets
     */
    public HttpApi(String socketIoPath, TokenVerifier verifier, NoteRepository repository, Login login,
                   RefreshTokens refreshTokens, TokenIssuer issuer, NotesyncConfig config, Executor blocking,
                   NotesyncMetrics metrics, BooleanSupplier clusterUp, ForwardedHeaders forwarded,
                   UserEvents events, Accounts accounts, PasswordPolicy passwordPolicy, Consumer<String> afterRemoval,
                   Clock clock) {
        this.metrics = metrics;
        this.metricsAccess = new MetricsAccess(config.metrics().token());
        this.forwarded = forwarded;
        this.clusterUp = clusterUp;
        this.socketIoPath = socketIoPath;
        this.bearer = new BearerAuth(verifier);
        this.repository = repository;
        NotesyncConfig.Limits limits = config.limits();
        this.notes = new NoteRoutes(bearer, repository, new PacketLimits(limits.maxNotesPerPacket(), limits.maxNoteChars(), limits.maxTimestampSeconds()),
                events, clock);
        this.auth = new AuthRoutes(login, refreshTokens, issuer,
                Duration.ofSeconds(config.auth().accessTokenTtlSeconds()), new RefreshCookie(config.cookie()), metrics);
        this.account = new AccountRoutes(bearer, accounts, login, passwordPolicy, refreshTokens, issuer,
                Duration.ofSeconds(config.auth().accessTokenTtlSeconds()), new RefreshCookie(config.cookie()), metrics,
                afterRemoval, clock);
        this.blocking = blocking;
        this.requestDeadlineMs = config.mongodb().timeoutMs();
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
                // One answer per request, by the deadline: a slow database gets storageUnavailable
                // then, whatever the request's queries add up to; an answer after it is dropped.
                AtomicBoolean answered = new AtomicBoolean();
                ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
                    if (answered.compareAndSet(false, true)) {
                        log.warn("HTTP {} {}: no answer from the database within {} ms", request.method(), path, requestDeadlineMs);
                        HttpResponses.send(ctx, keepAlive, HttpResponses.error(HttpError.storageUnavailable()));
                    }
                }, requestDeadlineMs, TimeUnit.MILLISECONDS);
                blocking.execute(() -> respond(ctx, keepAlive, answered, deadline, () -> route.handle(data)));
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
        if (path.startsWith(NoteRoutes.NOTE_PATH_PREFIX)) {
            if (HttpMethod.PATCH.equals(method)) {
                return notes::edit;
            }
            if (HttpMethod.DELETE.equals(method)) {
                return notes::delete;
            }
            throw HttpError.methodNotAllowed(method.name(), path);
        }
        HttpMethod allowed = HttpMethod.GET;
        Route route = switch (path) {
            case "/health" -> request -> HttpAnswer.ok(health());
            case "/api/notes" -> notes::list;
            case "/api/videos" -> request -> HttpAnswer.ok(videos(request));
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
            case "/auth/password" -> {
                allowed = HttpMethod.POST;
                yield account::changePassword;
            }
            case "/auth/logout-all" -> {
                allowed = HttpMethod.POST;
                yield account::logoutAll;
            }
            case "/api/export" -> account::export;
            case "/api/account" -> {
                allowed = HttpMethod.DELETE;
                yield account::deleteAccount;
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

    private Object videos(HttpRequestData request) {
        String username = bearer.username(request);
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

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, AtomicBoolean answered, ScheduledFuture<?> deadline,
                         Supplier<HttpAnswer> handler) {
        FullHttpResponse response;
        try {
            HttpAnswer answer = handler.get();
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            deadline.cancel(false);
            if (answer.body() instanceof StreamedBody streamed) {
                streamed.send(ctx, keepAlive);
                return;
            }
            HttpResponses.send(ctx, keepAlive, HttpResponses.json(answer.status(), answer.body(), answer.setCookies()));
            return;
        } catch (HttpError error) {
            response = HttpResponses.error(error);
        } catch (StorageUnavailableException e) {
            log.warn("HTTP request failed: {}", LogText.of(e.getMessage()));
            response = HttpResponses.error(HttpError.storageUnavailable());
        } catch (IOException e) {
            // The answer had begun: StreamedBody closed the connection.
            log.info("HTTP answer cut off: {}", LogText.of(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            log.error("HTTP request failed", e);
            response = HttpResponses.error(new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "internal error"));
        }
        if (answered.compareAndSet(false, true)) {
            deadline.cancel(false);
            HttpResponses.send(ctx, keepAlive, response);
        }
    }

}
