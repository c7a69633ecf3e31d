package io.notesync.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;

/**
 * First in the pipeline when notesync terminates TLS: sends everything that is not raw bytes past
 * netty's {@link SslHandler} at once.
 *
 * <p>Why: netty-socketio hands a request's decoded Engine.IO packets back to the pipeline from its
 * head ({@code ctx.pipeline().fireChannelRead(new PacketsMessage(...))}) while it is still
 * handling that HTTP request, and releases the request, and so the packets' buffer, when the call
 * returns. With TLS the first handler after the head is the SslHandler, which at that moment is
 * in the middle of decoding the record that carried the request; netty's ByteToMessageDecoder
 * queues what reaches it re-entrantly until its decode is done (its {@code inputMessages} queue),
 * so the packets arrived after their buffer was freed: {@code IllegalReferenceCountException:
 * refCnt: 0} and a dropped connection for every polling POST and WebSocket frame over TLS (seen
 * here on netty 4.1.137 and 4.2.18; netty-socketio issue 1062 reports the same with its own
 * key-store TLS on netty 4.1.130, and none on 4.1.115).
 * The SslHandler only ever decodes ByteBufs, so skipping it for other messages changes nothing else.
 * Pinned by protocol-tests js/test/tls.test.mjs and browser/test/tls.test.mjs.
 */
@ChannelHandler.Sharable
public final class TlsReentryBypass extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncTlsReentryBypass";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelHandlerContext tls = msg instanceof ByteBuf ? null : ctx.pipeline().context(SslHandler.class);
        // Firing from the SslHandler's own context delivers to the handler after it.
        (tls != null ? tls : ctx).fireChannelRead(msg);
    }
}
