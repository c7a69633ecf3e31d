package io.notesync.engine;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Handles the close of a long-polling connection in place of netty-socketio's two transports.
 * netty-socketio closes the connection after every polling answer and hands the close to both:
 * its polling transport lets go of the channel if it is still the session's poll, then its
 * WebSocket transport, finding the channel still registered for the session, queues a Socket.IO
 * DISCONNECT ({@code 41}) for the session. The channel is still registered when the close is
 * handled on one event loop while the session's next poll is being bound on another (the binding
 * replaces the session's poll before it unregisters the old channel): that poll was answered with
 * {@code 41}, for a namespace the client had never CONNECTed to. The two steps race the other way
 * too: the old channel's release could unbind the poll just bound, which then hung.
 *
 * <p>Here a polling channel's release runs under the session's gate, as a poll's admission and
 * binding do ({@link RequestGuard}), and netty-socketio's transports never see the close; the
 * handlers after them still do.
 */
@ChannelHandler.Sharable
final class PollingChannelClose extends ChannelInboundHandlerAdapter {

    static final String NAME = "notesyncPollingChannelClose";

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        EngineSession session = channel.attr(EngineSession.OF_POLLING).get();
        ChannelHandlerContext webSocketTransport = ctx.pipeline().context(SocketIOChannelInitializer.WEB_SOCKET_TRANSPORT);
        if (session == null || channel.hasAttr(EngineSession.OF_WEBSOCKET) || webSocketTransport == null) {
            ctx.fireChannelInactive();
            return;
        }
        session.exclusively(() -> session.head().releasePollingChannel(channel));
        // Past both transports: what netty-socketio's polling transport did is done above, and its
        // WebSocket transport has nothing to do for a connection that never was a WebSocket.
        webSocketTransport.fireChannelInactive();
    }
}
