package io.notesync.engine;

import com.corundumstudio.socketio.handler.AuthorizeHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * netty-socketio's authorize handler, minus its {@code firstDataTimeout}: it starts a 5 s timer in
 * {@code channelActive} that closes the connection, and cancels it only in its own
 * {@code channelRead}, which requests answered by notesync's HTTP API (ahead of it in the
 * pipeline) never reach. Every connection carrying the API was closed 5 s after it opened, busy
 * or idle: a client reusing it saw {@code other side closed} on a POST, and a request waiting for a
 * slow store lost its answer. Here the timer is never started; {@link HttpIdleCloser} closes idle
 * connections instead (the first-data case included). Everything else goes to netty-socketio's
 * handler as before.
 */
@ChannelHandler.Sharable
final class NoFirstDataTimeout extends ChannelInboundHandlerAdapter {

    private final AuthorizeHandler authorize;

    NoFirstDataTimeout(AuthorizeHandler authorize) {
        this.authorize = authorize;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        authorize.channelRead(ctx, msg);
    }
}
