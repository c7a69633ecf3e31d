package io.notesync.engine;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import com.corundumstudio.socketio.handler.EncoderHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.CharsetUtil;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    private static final String PROBE = "2probe";
    private static final String UPGRADE = "5";
    private static final long CLOSE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    private static final long CLOSE_WAIT_STEP_MS = 5;

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
        if (websocket && (PROBE.equals(text) || UPGRADE.equals(text))) {
            // The upgrade's two steps, under the session's gate like poll admissions: a poll is
            // admitted wholly before the 5 (and answered, as netty-socketio and UpgradeNoopHandler
            // do) or refused after it.
            session.exclusively(() -> {
                ctx.fireChannelRead(msg);
                if (UPGRADE.equals(text)) {
                    answerStalePoll(session);
                }
            });
            return;
        }
        List<String> records = websocket ? List.of(text) : split(text);
        List<String> kept = new ArrayList<>(records.size());
        for (String record : records) {
            Verdict verdict = judge(session, record);
            if (verdict == Verdict.CLOSE_SESSION) {
                sessions.close(head, PacketType.CLOSE, "invalid packet");
                return;
            }
            if (verdict == Verdict.CLIENT_CLOSED) {
                if (websocket || session.hasPendingPoll()) {
                    sessions.close(head, PacketType.NOOP, "client close");
                } else {
                    closeWhenPollArrives(ctx.channel(), session, System.nanoTime() + CLOSE_WAIT_NANOS);
                }
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

    /**
     * A close packet posted while no poll is open. A client that polls and posts at once (the
     * official suite does) means its poll to get the {@code 6}; on a single-threaded server it
     * arrives first, here it may be read a moment after the POST by another event-loop thread. So
     * the close waits briefly for that poll, and the POST's {@code ok} leaves only once the session
     * is closed: every request sent after it still gets "Session ID unknown".
     */
    private void closeWhenPollArrives(Channel post, EngineSession session, long deadline) {
        Runnable release = RequestGuard.holdAnswer(post);
        post.eventLoop().execute(new Runnable() {
            @Override
            public void run() {
                if (session.hasPendingPoll() || session.isEnded() || System.nanoTime() - deadline >= 0) {
                    sessions.close(session.head(), PacketType.NOOP, "client close");
                    release.run();
                } else {
                    post.eventLoop().schedule(this, CLOSE_WAIT_STEP_MS, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    /**
     * At the upgrade ({@code 5}), a poll still open gets its {@code noop}. A conforming client has
     * none open then; but one admitted just before (a poll racing the {@code 5}) could otherwise
     * hang: netty-socketio moves the polling queue, and the noop of the probe with it, to the WebSocket.
     * Runs on the poll's event loop after whatever netty-socketio queued there for it.
     */
    private static void answerStalePoll(EngineSession session) {
        Channel poll = session.pendingPoll();
        if (poll == null || session.head().getCurrentTransport() != Transport.WEBSOCKET) {
            return;
        }
        poll.eventLoop().execute(() -> {
            if (!poll.isActive() || poll.attr(EncoderHandler.WRITE_ONCE).get() != null) {
                return;
            }
            poll.attr(EncoderHandler.WRITE_ONCE).set(true);
            FullHttpResponse noop = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("6", CharsetUtil.UTF_8));
            noop.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, noop.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            String origin = poll.attr(EncoderHandler.ORIGIN).get();
            if (origin != null) {
                noop.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
            poll.writeAndFlush(noop).addListener(ChannelFutureListener.CLOSE);
        });
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
                    log.debug("session {}: unknown event '{}' ignored", session.head().getSessionId(), LogText.of(packet.event()));
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
