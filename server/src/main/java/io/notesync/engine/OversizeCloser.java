package io.notesync.engine;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline: answers a WebSocket message over maxPayload with close code 1009
 * ("message too big"), as the reference server does. netty-socketio aggregates WebSocket
 * fragments in a handler it adds behind its own exception handling, so the aggregator's
 * {@link TooLongFrameException} reached the end of the pipeline unhandled, and the socket stayed
 * open with half a message swallowed. Single frames over the limit are refused (1009) by
 * Netty's frame decoder already.
 */
@ChannelHandler.Sharable
public final class OversizeCloser extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncOversizeCloser";
    private static final Logger log = LoggerFactory.getLogger(OversizeCloser.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            log.info("closing {}: a WebSocket message over maxPayload", ctx.channel().remoteAddress());
            ctx.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max payload size exceeded"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.warn("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Nothing is meant to reach this far; what does is dropped, as Netty's tail would.
        ReferenceCountUtil.release(msg);
    }
}
