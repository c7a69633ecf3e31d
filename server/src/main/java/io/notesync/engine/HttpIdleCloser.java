package io.notesync.engine;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection only when it is really idle, and says when it will: in place of
 * netty-socketio's {@code firstDataTimeout} (see {@link NoFirstDataTimeout}), which closed every
 * connection carrying notesync's HTTP API 5 s after it opened, busy or not.
 * <ul>
 *   <li>A connection with a request in progress (read, not yet fully answered, such as a poll held
 *       open or a request waiting for the store) is never closed here.</li>
 *   <li>A connection with no request in progress is closed {@link #IDLE_CLOSE_MS} after its last
 *       request was answered, or {@link #FIRST_REQUEST_MS} after it opened when it never sent one.</li>
 *   <li>Answers that keep the connection open say {@code Keep-Alive: timeout=5}, a second less
 *       than the real limit, as Node's HTTP server does: a client then never reuses a connection
 *       the server is closing.</li>
 * </ul>
 * Between the HTTP codec and the aggregator; leaves the pipeline when the connection becomes a
 * WebSocket (its {@code 101} answer), whose life the Engine.IO heartbeat governs.
 */
final class HttpIdleCloser extends ChannelDuplexHandler {

    static final String NAME = "notesyncHttpIdleCloser";
    /** What the {@code Keep-Alive} header announces. */
    static final int ADVERTISED_TIMEOUT_SECONDS = 5;
    /** When an idle connection is really closed: a second of margin over what is announced. */
    static final long IDLE_CLOSE_MS = (ADVERTISED_TIMEOUT_SECONDS + 1) * 1000L;
    /**
     * How long a new connection may take to deliver its first request (Node's {@code headersTimeout}
     * plays this part, at 60 s). Not the keep-alive limit: in a reconnect storm the kernel's accept
     * queue overflows, a client's first segments are dropped and resent with backoff, and the
     * request can reach a connection seconds after it was accepted. At 6 s (or netty-socketio's 5 s)
     * 1,814 of 6,000 reconnecting WebSockets were closed before their upgrade request arrived
     * ("socket hang up"); with no limit, none.
     */
    static final long FIRST_REQUEST_MS = 30_000;
    private static final String KEEP_ALIVE_VALUE = "timeout=" + ADVERTISED_TIMEOUT_SECONDS;

    private int requests;
    private int inProgress;
    private long idleSince = System.nanoTime();
    private ScheduledFuture<?> check;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            schedule(ctx, FIRST_REQUEST_MS);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (check == null) {
            idleSince = System.nanoTime();
            schedule(ctx, FIRST_REQUEST_MS);
        }
        super.channelActive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            requests++;
            inProgress++;
        }
        if (msg instanceof HttpObject) {
            idleSince = System.nanoTime();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            if (response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                ctx.pipeline().remove(this);
                super.write(ctx, msg, promise);
                return;
            }
            if (response.status().codeClass() != io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL
                    && HttpUtil.isKeepAlive(response)) {
                response.headers().set(HttpHeaderNames.KEEP_ALIVE, KEEP_ALIVE_VALUE);
            }
        }
        if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                && response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL)) {
            inProgress = Math.max(0, inProgress - 1);
            idleSince = System.nanoTime();
            if (inProgress == 0) {
                // From now on the keep-alive limit counts, from this answer.
                cancel();
                schedule(ctx, IDLE_CLOSE_MS);
            }
        }
        super.write(ctx, msg, promise);
    }

    private void schedule(ChannelHandlerContext ctx, long delayMs) {
        check = ctx.executor().schedule(() -> closeIfIdle(ctx), delayMs, TimeUnit.MILLISECONDS);
    }

    private void closeIfIdle(ChannelHandlerContext ctx) {
        if (ctx.isRemoved() || !ctx.channel().isActive()) {
            return;
        }
        if (inProgress > 0) {
            // Rescheduled when the answer is written.
            check = null;
            return;
        }
        long limit = requests == 0 ? FIRST_REQUEST_MS : IDLE_CLOSE_MS;
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
        if (idleMs >= limit) {
            ctx.close();
        } else {
            schedule(ctx, limit - idleMs);
        }
    }
}
