package io.notesync.socket;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * netty-socketio's pipeline with our handlers in front of its packet handler: the HTTP API
 * (same port, so a client's relative {@code fetch('/refresh')} reaches it), the handler that
 * keeps polling-to-WebSocket upgrades from stalling, and the observer that authenticates a
 * socket at its CONNECT; and its encoder with one that does not drop packets on polling.
 */
final class NotesyncChannelInitializer extends SocketIOChannelInitializer {

    private final String httpName;
    private final ChannelHandler http;
    private final ConnectObserver connectObserver;
    private final UpgradeNoopHandler upgradeNoop = new UpgradeNoopHandler();
    private EncoderHandler encoder;

    NotesyncChannelInitializer(String httpName, ChannelHandler http, ConnectObserver connectObserver) {
        this.httpName = httpName;
        this.http = http;
        this.connectObserver = connectObserver;
    }

    @Override
    public void start(Configuration configuration, NamespacesHub namespacesHub) {
        super.start(configuration, namespacesHub);
        try {
            encoder = new EncoderHandler(configuration, new LosslessPacketEncoder(configuration));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Socket.IO encoder", e);
        }
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        pipeline.replace(SOCKETIO_ENCODER, SOCKETIO_ENCODER, encoder);
        pipeline.addBefore(PACKET_HANDLER, httpName, http);
        pipeline.addBefore(PACKET_HANDLER, UpgradeNoopHandler.NAME, upgradeNoop);
        pipeline.addBefore(PACKET_HANDLER, ConnectObserver.NAME, connectObserver);
    }
}
