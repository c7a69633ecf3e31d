package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-polling session alive when its upgrade probe's WebSocket closes before the upgrade
 * completed. netty-socketio treats any closing WebSocket of a session as the end of the session:
 * it disconnects the client and queues a Socket.IO DISCONNECT ({@code 41}) on the transport still
 * in use, polling. A client whose CONNECT had not been answered yet then saw "io server disconnect"
 * without ever being connected (seen now and then in the JS suite, with default transports). The
 * reference server drops only the failed probe and carries on over polling; so does this.
 */
@ChannelHandler.Sharable
public final class AbandonedProbeGuard extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncAbandonedProbeGuard";
    private static final Logger log = LoggerFactory.getLogger(AbandonedProbeGuard.class);

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        EngineSession session = ctx.channel().attr(EngineSession.OF_WEBSOCKET).get();
        ClientHead head = session == null ? null : session.head();
        if (head != null && head.isConnected() && head.getCurrentTransport() == Transport.POLLING) {
            log.debug("session {}: upgrade probe closed before the upgrade; going on over polling", head.getSessionId());
            // Not passed on: netty-socketio's WebSocket transport would end the session.
            return;
        }
        super.channelInactive(ctx);
    }
}
