package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.CharsetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads every packet a client sends before netty-socketio's packet handler does, and does what
 * the reference server does where netty-socketio does not:
 * <ul>
 *   <li>a packet the specifications do not allow from a client ({@code 4abc}, {@code abc}, a CONNECT
 *       whose payload is not an object, an event before the CONNECT of its namespace, a second
 *       CONNECT) closes the session;</li>
 *   <li>a close packet ({@code 1}) closes it too: the open poll gets a {@code noop}, a WebSocket is closed;</li>
 *   <li>a pong feeds the {@link Heartbeat};</li>
 *   <li>a CONNECT to a namespace that does not exist gets
 *       {@code 44/name,{"message":"Invalid namespace"}} (netty-socketio sends a bare string).</li>
 * </ul>
 * Packets arrive here once per WebSocket frame, or once per long-polling POST body (records
 * separated by 0x1e); the transports own the content buffer and release it afterwards.
 */
@ChannelHandler.Sharable
public final class PacketGuard extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncEngineIoPacketGuard";
    private static final Logger log = LoggerFactory.getLogger(PacketGuard.class);
    private static final char RECORD_SEPARATOR = '\u001e';

    private final EngineSessions sessions;
    private final Heartbeat heartbeat;
    private final Predicate<String> namespaceExists;
    private final Set<String> knownEvents;

    /** @param knownEvents the events notesync listens to; others are logged at debug and ignored */
    public PacketGuard(EngineSessions sessions, Heartbeat heartbeat, Predicate<String> namespaceExists, Set<String> knownEvents) {
        this.knownEvents = Set.copyOf(knownEvents);
        this.sessions = sessions;
        this.heartbeat = heartbeat;
        this.namespaceExists = namespaceExists;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof PacketsMessage packets)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ClientHead head = packets.getClient();
        EngineSession session = sessions.of(head);
        boolean websocket = packets.getTransport() == Transport.WEBSOCKET;
        if (session == null || (websocket && head.getLastBinaryPacket() != null)) {
            // Not ours to judge: a session netty-socketio is closing, or a binary attachment frame.
            ctx.fireChannelRead(msg);
            return;
        }
        String text = packets.getContent().toString(CharsetUtil.UTF_8);
        List<String> records = websocket ? List.of(text) : split(text);
        List<String> kept = new ArrayList<>(records.size());
        for (String record : records) {
            Verdict verdict = judge(session, record);
            if (verdict == Verdict.CLOSE_SESSION) {
                sessions.close(head, PacketType.CLOSE, "invalid packet");
                return;
            }
            if (verdict == Verdict.CLIENT_CLOSED) {
                sessions.close(head, PacketType.NOOP, "client close");
                return;
            }
            if (verdict == Verdict.KEEP) {
                kept.add(record);
            }
        }
        if (kept.size() == records.size()) {
            ctx.fireChannelRead(msg);
        } else if (!kept.isEmpty()) {
            ByteBuf rest = Unpooled.copiedBuffer(String.join(String.valueOf(RECORD_SEPARATOR), kept), CharsetUtil.UTF_8);
            try {
                ctx.fireChannelRead(new PacketsMessage(head, rest, packets.getTransport()));
            } finally {
                rest.release();
            }
        }
    }

    private enum Verdict { KEEP, ANSWERED, CLOSE_SESSION, CLIENT_CLOSED }

    private Verdict judge(EngineSession session, String record) {
        PacketSyntax.Parsed packet = PacketSyntax.parse(record);
        String namespace = packet.namespace();
        switch (packet.kind()) {
            case INVALID:
                return Verdict.CLOSE_SESSION;
            case CLOSE:
                return Verdict.CLIENT_CLOSED;
            case PONG:
                heartbeat.onPong(session);
                return Verdict.KEEP;
            case CONNECT:
                if (!namespaceExists.test(namespace)) {
                    sendInvalidNamespace(session.head(), namespace);
                    return Verdict.ANSWERED;
                }
                if (session.isConnectedTo(namespace)) {
                    return Verdict.CLOSE_SESSION;
                }
                session.connected(namespace);
                return Verdict.KEEP;
            case DISCONNECT:
                if (!session.isConnectedTo(namespace)) {
                    return Verdict.CLOSE_SESSION;
                }
                session.disconnected(namespace);
                return Verdict.KEEP;
            case NAMESPACE_PACKET:
                if (!session.isConnectedTo(namespace)) {
                    return Verdict.CLOSE_SESSION;
                }
                if (packet.event() != null && !knownEvents.contains(packet.event())) {
                    // Not an error for the client (netty-socketio ignores it); worth seeing when debugging one.
                    log.debug("session {}: unknown event '{}' ignored", session.head().getSessionId(), packet.event());
                }
                return Verdict.KEEP;
            default:
                return Verdict.KEEP;
        }
    }

    private static void sendInvalidNamespace(ClientHead head, String namespace) {
        Packet error = new Packet(PacketType.MESSAGE, head.getEngineIOVersion());
        error.setSubType(PacketType.ERROR);
        error.setNsp(namespace);
        error.setData(Map.of("message", "Invalid namespace"));
        head.send(error);
    }

    private static List<String> split(String payload) {
        List<String> records = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= payload.length(); i++) {
            if (i == payload.length() || payload.charAt(i) == RECORD_SEPARATOR) {
                records.add(payload.substring(start, i));
                start = i + 1;
            }
        }
        return records;
    }
}
