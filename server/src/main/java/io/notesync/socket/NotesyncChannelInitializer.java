package io.notesync.socket;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * netty-socketio's pipeline with our handlers in front of its packet handler: the HTTP API
 * (same port, so a client's relative {@code fetch('/refresh')} reaches it), the handler that
 * keeps polling-to-WebSocket upgrades from stalling, and the observer that authenticates a
 * socket at its CONNECT.
 */
final class NotesyncChannelInitializer extends SocketIOChannelInitializer {

    private final String httpName;
    private final ChannelHandler http;
    private final ConnectObserver connectObserver;
    private final UpgradeNoopHandler upgradeNoop = new UpgradeNoopHandler();

    NotesyncChannelInitializer(String httpName, ChannelHandler http, ConnectObserver connectObserver) {
        this.httpName = httpName;
        this.http = http;
        this.connectObserver = connectObserver;
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        pipeline.addBefore(PACKET_HANDLER, httpName, http);
        pipeline.addBefore(PACKET_HANDLER, UpgradeNoopHandler.NAME, upgradeNoop);
        pipeline.addBefore(PACKET_HANDLER, ConnectObserver.NAME, connectObserver);
    }
}
