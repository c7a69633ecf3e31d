package io.notesync.engine;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;

/**
 * netty-socketio closes the connection after every long-polling answer, yet labels each one
 * {@code Connection: keep-alive}. A client that believes it sends its next request (a POST, which
 * HTTP clients do not retry) on the connection the server is closing, and sees it fail with no
 * answer at all. This says {@code Connection: close}, which is what happens.
 * Outbound, placed behind notesync's HTTP API so its own (really kept-alive) answers pass untouched.
 */
@ChannelHandler.Sharable
public final class HonestConnectionHeader extends ChannelOutboundHandlerAdapter {

    public static final String NAME = "notesyncHonestConnectionHeader";

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response
                && HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(response.headers().get(HttpHeaderNames.CONNECTION))) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        super.write(ctx, msg, promise);
    }
}
