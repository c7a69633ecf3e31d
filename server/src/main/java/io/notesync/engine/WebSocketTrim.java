package io.notesync.engine;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;

/**
 * Takes the handlers that only ever act on HTTP requests and responses out of a channel once it
 * carries WebSocket frames (its first frame, right after the upgrade): such a channel never sees
 * HTTP again, and each handler left in its pipeline cost a context object per socket (20 per
 * idle WebSocket before, 56 bytes each, the largest item in the idle scenario's class histogram).
 * Every handler named must pass anything but an HTTP message through unchanged; the list is
 * given by whoever builds the pipeline. Removes itself with them.
 */
@ChannelHandler.Sharable
public final class WebSocketTrim extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncWebSocketTrim";

    private final List<String> httpOnly;

    public WebSocketTrim(List<String> httpOnly) {
        this.httpOnly = List.copyOf(httpOnly);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            ChannelPipeline pipeline = ctx.pipeline();
            for (String name : httpOnly) {
                if (pipeline.get(name) != null) {
                    pipeline.remove(name);
                }
            }
            pipeline.remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
