package io.notesync.engine;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.namespace.Namespace;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.function.Consumer;

/**
 * Sits just before netty-socketio's packet handler and tells notesync ({@link SocketEngine.Callbacks#connected})
 * right after a client's CONNECT to the default namespace has been handled. netty-socketio's own
 * connect listener fires at the Engine.IO handshake, before the client has sent CONNECT (and so
 * before its {@code auth} payload is known), and its auth-token listener is skipped when a
 * CONNECT carries no payload; neither is the moment docs/protocol.md needs.
 */
@ChannelHandler.Sharable
final class ConnectObserver extends ChannelInboundHandlerAdapter {

    static final String NAME = "notesyncConnectObserver";
    private static final byte RECORD_SEPARATOR = 0x1e;

    private final Namespace defaultNamespace;
    private final Consumer<SocketIOClient> connected;

    ConnectObserver(Namespace defaultNamespace, Consumer<SocketIOClient> connected) {
        this.defaultNamespace = defaultNamespace;
        this.connected = connected;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof PacketsMessage packets) || !isConnectToDefaultNamespace(packets)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ClientHead head = packets.getClient();
        ctx.fireChannelRead(msg);
        SocketIOClient client = head.getChildClient(defaultNamespace);
        if (client != null && head.isConnected()) {
            connected.accept(client);
        }
    }

    private static boolean isConnectToDefaultNamespace(PacketsMessage packets) {
        ByteBuf content = packets.getContent();
        if (packets.getTransport() == Transport.WEBSOCKET) {
            // One packet per frame: only its first bytes matter, however large the frame.
            return isDefaultNamespaceConnect(content, content.readerIndex(), content.readableBytes());
        }
        return containsDefaultNamespaceConnect(content);
    }

    /**
     * True when an Engine.IO payload (one WebSocket frame, or records separated by 0x1e on
     * polling) holds a Socket.IO CONNECT to "/": a record starting "40" not followed by '/'.
     */
    static boolean containsDefaultNamespaceConnect(ByteBuf content) {
        int start = content.readerIndex();
        int end = content.writerIndex();
        int recordStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || content.getByte(i) == RECORD_SEPARATOR) {
                if (isDefaultNamespaceConnect(content, recordStart, i - recordStart)) {
                    return true;
                }
                recordStart = i + 1;
            }
        }
        return false;
    }

    private static boolean isDefaultNamespaceConnect(ByteBuf content, int start, int length) {
        return length >= 2 && content.getByte(start) == '4' && content.getByte(start + 1) == '0'
                && (length == 2 || content.getByte(start + 2) != '/');
    }
}
