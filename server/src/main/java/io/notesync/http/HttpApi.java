package io.notesync.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private final String socketIoPath;
    private final Routes routes;
    private final Executor blocking;
    private final ForwardedHeaders forwarded;
    /** mongodb.timeoutMs: what one request may wait for the database in all, however many queries it makes. */
    private final long requestDeadlineMs;

    /**
     * @param blocking where routes run: they read the database, so never on the event loop
     * @param requestDeadlineMs when a request still unanswered gets 503 {@code storageUnavailable}
     */
    public HttpApi(String socketIoPath, Routes routes, Executor blocking, ForwardedHeaders forwarded, long requestDeadlineMs) {
        this.socketIoPath = socketIoPath;
        this.routes = routes;
        this.blocking = blocking;
        this.forwarded = forwarded;
        this.requestDeadlineMs = requestDeadlineMs;
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
            Route.Handler route = routes.find(request.method(), path);
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
                        log.warn("HTTP {} {}: no answer from the database within {} ms", request.method(), LogText.of(path),
                                requestDeadlineMs);
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
