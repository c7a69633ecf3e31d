package io.notesync.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenVerifier;
import io.notesync.metrics.NotesyncMetrics;
import io.notesync.notes.InvalidVideoUrlException;
import io.notesync.notes.Note;
import io.notesync.notes.NoteJson;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.NotesCursor;
import io.notesync.notes.StorageUnavailableException;
import io.notesync.notes.Video;
import io.notesync.notes.VideoSummary;
import io.notesync.notes.VideoUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.concurrent.RejectedExecutionException;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String socketIoPath;
    private final TokenVerifier verifier;
    private final NoteRepository repository;
    private final Executor blocking;
    private final NotesyncMetrics metrics;
    private final BooleanSupplier clusterUp;

    /** @param clusterUp whether broadcasts reach the other nodes; null for a single node */
    public HttpApi(String socketIoPath, TokenVerifier verifier, NoteRepository repository, NotesyncMetrics metrics,
                   Executor blocking, BooleanSupplier clusterUp) {
        this.clusterUp = clusterUp;
        this.socketIoPath = socketIoPath;
        this.metrics = metrics;
        this.verifier = verifier;
        this.repository = repository;
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
            String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            try {
                blocking.execute(() -> respond(ctx, keepAlive, () -> route.handle(uri, authorization)));
            } catch (RejectedExecutionException e) {
                write(ctx, keepAlive, HttpError.storageUnavailable());
            }
        } catch (HttpError error) {
            write(ctx, HttpUtil.isKeepAlive(request), error);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @FunctionalInterface
    private interface Route {
        Object handle(QueryStringDecoder uri, String authorization);
    }

    private Route route(HttpMethod method, String path) {
        Route route = switch (path) {
            case "/health" -> (uri, auth) -> health();
            case "/api/notes" -> this::notes;
            case "/api/videos" -> (uri, auth) -> videos(auth);
            case "/metrics" -> (uri, auth) -> new PlainText(PROMETHEUS_TEXT, metrics.scrape());
            default -> throw HttpError.notFound(path);
        };
        if (!HttpMethod.GET.equals(method)) {
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

    private Object notes(QueryStringDecoder uri, String authorization) {
        String username = authenticate(authorization);
        String videoUrl = single(uri, "videoUrl");
        if (videoUrl == null) {
            throw HttpError.badRequest("the videoUrl query parameter is required");
        }
        Video video;
        try {
            video = VideoUrls.canonicalize(videoUrl);
        } catch (InvalidVideoUrlException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        NotesCursor since = parseSince(single(uri, "since"));
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

    private static String single(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, Supplier<Object> handler) {
        try {
            write(ctx, keepAlive, HttpResponseStatus.OK, handler.get());
        } catch (HttpError error) {
            write(ctx, keepAlive, error);
        } catch (StorageUnavailableException e) {
            log.warn("HTTP request failed: {}", e.getMessage());
            write(ctx, keepAlive, HttpError.storageUnavailable());
        } catch (RuntimeException e) {
            log.error("HTTP request failed", e);
            write(ctx, keepAlive, new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "internal error"));
        }
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", error.code());
        body.put("message", error.getMessage());
        write(ctx, keepAlive, error.status(), Map.of("error", body));
    }

    /** A body that is not JSON: its content type and text. */
    private record PlainText(String contentType, String text) {
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        byte[] bytes;
        String contentType = "application/json; charset=utf-8";
        if (body instanceof PlainText text) {
            bytes = text.text().getBytes(StandardCharsets.UTF_8);
            contentType = text.contentType();
        } else {
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("response is not serialisable", e);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
