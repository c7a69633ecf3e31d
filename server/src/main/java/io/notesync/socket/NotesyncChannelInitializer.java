package io.notesync.socket;

import com.corundumstudio.socketio.SocketIOChannelInitializer;
import io.netty.channel.ChannelPipeline;

import java.util.List;

/**
 * netty-socketio's pipeline with our handlers in front of its packet handler: the given ones in
 * order (the Origin gate, then the HTTP API on the same port, so a client's relative
 * {@code fetch('/refresh')} reaches it), the handler that
 * keeps polling-to-WebSocket upgrades from stalling, and the observer that authenticates a
 * socket at its CONNECT.
 */
final class NotesyncChannelInitializer extends SocketIOChannelInitializer {

    private final List<PipelineHandler> front;
    private final ConnectObserver connectObserver;
    private final UpgradeNoopHandler upgradeNoop = new UpgradeNoopHandler();

    NotesyncChannelInitializer(List<PipelineHandler> front, ConnectObserver connectObserver) {
        this.front = List.copyOf(front);
        this.connectObserver = connectObserver;
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        for (PipelineHandler handler : front) {
            pipeline.addBefore(PACKET_HANDLER, handler.name(), handler.handler());
        }
        pipeline.addBefore(PACKET_HANDLER, UpgradeNoopHandler.NAME, upgradeNoop);
        pipeline.addBefore(PACKET_HANDLER, ConnectObserver.NAME, connectObserver);
    }
}
