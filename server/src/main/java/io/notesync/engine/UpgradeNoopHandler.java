package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets Engine.IO clients finish the polling-to-WebSocket upgrade.
 *
 * <p>netty-socketio answers the WebSocket {@code 2probe} with {@code 3probe} and writes a single
 * {@code noop} to polling. The two travel on different connections, so the client may read the
 * noop first and open another poll; when {@code 3probe} then arrives it pauses polling and waits
 * for that poll, which the server leaves open until the next ping (pingInterval): the upgrade
 * stalls, and after the upgrade timeout the session dies. Measured before this handler: 8 to 15
 * of 100 sequential and 19 to 20 of 20 concurrent sockets stalled.
 *
 * <p>Like the reference engine.io server (its "check" noop), this answers with a {@code noop}
 * every poll that stays open between {@code 2probe} and {@code 5} (upgrade).
 */
@ChannelHandler.Sharable
final class UpgradeNoopHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "notesyncUpgradeNoop";

    /** Bounds the noops per upgrade, should a client keep polling and never finish. */
    private static final int MAX_NOOPS_PER_UPGRADE = 16;

    private record Upgrade(ClientHead client, AtomicInteger noopsLeft) {
    }

    /** Sessions that sent {@code 2probe} on a WebSocket and have not sent {@code 5} yet. */
    private final ConcurrentMap<UUID, Upgrade> upgrading = new ConcurrentHashMap<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PacketsMessage packets) {
            onWebSocketPackets(ctx.channel(), packets);
            ctx.fireChannelRead(msg);
            return;
        }
        UUID polling = upgrading.isEmpty() ? null : pollingGetSessionId(msg);
        // netty-socketio binds the poll (and flushes what is queued) inside this call.
        ctx.fireChannelRead(msg);
        if (polling != null) {
            Upgrade upgrade = upgrading.get(polling);
            if (upgrade != null) {
                answerPendingPoll(ctx.channel(), upgrade);
            }
        }
    }

    private void onWebSocketPackets(Channel channel, PacketsMessage packets) {
        if (packets.getTransport() != Transport.WEBSOCKET) {
            return;
        }
        UUID sessionId = packets.getClient().getSessionId();
        if (is(packets.getContent(), "2probe")) {
            // Registered before netty-socketio handles the probe and sends its own noop.
            upgrading.put(sessionId, new Upgrade(packets.getClient(), new AtomicInteger(MAX_NOOPS_PER_UPGRADE)));
            channel.closeFuture().addListener(closed -> upgrading.remove(sessionId));
        } else if (is(packets.getContent(), "5")) {
            upgrading.remove(sessionId);
        }
    }

    private static void answerPendingPoll(Channel channel, Upgrade upgrade) {
        ClientHead client = upgrade.client();
        boolean pending = channel.isActive()
                && channel.attr(EncoderHandler.WRITE_ONCE).get() == null // nothing written to this poll yet
                && client.isConnected()
                && client.getCurrentTransport() == Transport.POLLING
                && client.isTransportChannel(channel, Transport.POLLING);
        if (pending && upgrade.noopsLeft().getAndDecrement() > 0) {
            client.send(new Packet(PacketType.NOOP, client.getEngineIOVersion()), Transport.POLLING);
        }
    }

    private static UUID pollingGetSessionId(Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !HttpMethod.GET.equals(request.method())) {
            return null;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        List<String> transport = query.parameters().get("transport");
        List<String> sid = query.parameters().get("sid");
        if (transport == null || !"polling".equals(transport.get(0)) || sid == null) {
            return null;
        }
        try {
            return UUID.fromString(sid.get(0));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean is(ByteBuf content, String packet) {
        return content.readableBytes() == packet.length()
                && packet.equals(content.toString(content.readerIndex(), packet.length(), CharsetUtil.US_ASCII));
    }
}
