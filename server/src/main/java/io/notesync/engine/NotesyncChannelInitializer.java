package io.notesync.engine;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.handler.AuthorizeHandler;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.handler.EncoderHandler;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.util.ArrayList;
import java.util.List;

/**
 * netty-socketio's pipeline with our handlers around its own, in this order:
 * <pre>
 *  ChannelOutputMeter .. counts what is written and not yet taken by the kernel (OutputBudget)
 *  TlsReentryBypass, TLS (netty's SslHandler from server.tls, in netty-socketio's place for it);
 *  both absent without TLS
 *  http decoder, encoder (moved ahead of the aggregator) (netty-socketio)
 *  HttpIdleCloser ...... closes only idle HTTP connections; Keep-Alive: timeout=5
 *  aggregator (netty-socketio)
 *  the front handlers in order: the Origin gate, then the HTTP API on the same port (so a
 *  client's relative fetch('/refresh') reaches it)
 *  HonestConnectionHeader  (outbound) netty-socketio's answers say Connection: close, as they do
 *  RequestGuard ........ Engine.IO requests the reference refuses: 400 {"code","message"}; admits
 *                        a session's requests under its gate (closes and upgrades are final for
 *                        later requests); holds a POST's answer until its packets are judged
 *  PacketGuard ......... invalid packets and close packets end the session; pongs; unknown namespaces
 *  UpgradeNoopHandler .. keeps polling-to-WebSocket upgrades from stalling
 *  AbandonedProbeGuard . a probe WebSocket closing before the upgrade does not end the session
 *  ConnectObserver ..... authenticates a socket at its CONNECT
 *  packet handler, authorize handler (netty-socketio; its first-data timer removed: NoFirstDataTimeout)
 *  SessionOpener ....... no namespace before CONNECT; precise heartbeat; connect timeout
 *  polling and WebSocket transports, wrong-URL handler (netty-socketio)
 *  LosslessPacketEncoder's encoder, in place of netty-socketio's (which drops a packet per
 *  polling response that hits its 50-packet limit)
 *  OversizeCloser ...... a WebSocket message over maxPayload: close 1009
 * </pre>
 * and WebSocketTrim (before the packet handler), which takes the HTTP-only handlers out of a
 * channel at its first WebSocket frame.
 */
final class NotesyncChannelInitializer extends SocketIOChannelInitializer {

    /** null: plain HTTP. */
    private final SslContext tls;
    private final List<PipelineHandler> front;
    private final RequestGuard requestGuard;
    private final PacketGuard packetGuard;
    private final SessionOpener sessionOpener;
    private final EngineSessions engineSessions;
    private final ConnectObserver connectObserver;
    private final UpgradeNoopHandler upgradeNoop = new UpgradeNoopHandler();
    private final TlsReentryBypass tlsReentryBypass = new TlsReentryBypass();
    private final AbandonedProbeGuard abandonedProbeGuard = new AbandonedProbeGuard();
    private final OversizeCloser oversizeCloser = new OversizeCloser();
    private final HonestConnectionHeader honestConnectionHeader = new HonestConnectionHeader();
    private final WebSocketTrim webSocketTrim;
    private final OutputBudget outputBudget;
    private EncoderHandler encoder;
    private volatile NoFirstDataTimeout authorize;

    NotesyncChannelInitializer(SslContext tls, List<PipelineHandler> front, RequestGuard requestGuard, PacketGuard packetGuard,
                               SessionOpener sessionOpener, EngineSessions engineSessions, ConnectObserver connectObserver,
                               OutputBudget outputBudget) {
        this.tls = tls;
        this.outputBudget = outputBudget;
        this.front = List.copyOf(front);
        this.requestGuard = requestGuard;
        this.packetGuard = packetGuard;
        this.sessionOpener = sessionOpener;
        this.engineSessions = engineSessions;
        this.connectObserver = connectObserver;
        List<String> httpOnly = new ArrayList<>();
        for (PipelineHandler handler : this.front) {
            httpOnly.add(handler.name());
        }
        httpOnly.addAll(List.of(HonestConnectionHeader.NAME, RequestGuard.NAME, AUTHORIZE_HANDLER, SessionOpener.NAME,
                XHR_POLLING_TRANSPORT, RESOURCE_HANDLER, WRONG_URL_HANDLER, HttpIdleCloser.NAME));
        this.webSocketTrim = new WebSocketTrim(httpOnly);
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

    /**
     * netty-socketio's own TLS reads a Java key store; notesync takes PEM files (what certificate
     * tools hand out) through netty's SslContext instead, at the same place: first in the pipeline,
     * so HTTP, polling and the WebSocket upgrade all run over it on the one port.
     */
    @Override
    protected void addSslHandler(ChannelPipeline pipeline) {
        if (tls != null) {
            pipeline.addLast(TlsReentryBypass.NAME, tlsReentryBypass);
            pipeline.addLast(SSL_HANDLER, tls.newHandler(pipeline.channel().alloc()));
        }
    }

    @Override
    protected void addSocketioHandlers(ChannelPipeline pipeline) {
        super.addSocketioHandlers(pipeline);
        pipeline.replace(SOCKETIO_ENCODER, SOCKETIO_ENCODER, encoder);
        // netty-socketio puts the response encoder after the aggregator, so the aggregator's own
        // "413 Request Entity Too Large" for a body over maxPayload never got encoded: the client
        // saw a dropped connection. Ahead of the aggregator, every response passes the encoder.
        pipeline.remove(HTTP_ENCODER);
        pipeline.addBefore(HTTP_AGGREGATOR, HTTP_ENCODER, new HttpResponseEncoder());
        for (PipelineHandler handler : front) {
            pipeline.addBefore(PACKET_HANDLER, handler.name(), handler.handler());
        }
        pipeline.addBefore(PACKET_HANDLER, HonestConnectionHeader.NAME, honestConnectionHeader);
        pipeline.addBefore(PACKET_HANDLER, RequestGuard.NAME, requestGuard);
        pipeline.addBefore(PACKET_HANDLER, PacketGuard.NAME, packetGuard);
        pipeline.addBefore(PACKET_HANDLER, UpgradeNoopHandler.NAME, upgradeNoop);
        pipeline.addBefore(PACKET_HANDLER, AbandonedProbeGuard.NAME, abandonedProbeGuard);
        pipeline.addBefore(PACKET_HANDLER, ConnectObserver.NAME, connectObserver);
        pipeline.addBefore(PACKET_HANDLER, WebSocketTrim.NAME, webSocketTrim);
        pipeline.addAfter(AUTHORIZE_HANDLER, SessionOpener.NAME, sessionOpener);
        pipeline.addLast(OversizeCloser.NAME, oversizeCloser);
        pipeline.replace(AUTHORIZE_HANDLER, AUTHORIZE_HANDLER, authorizeWithoutFirstDataTimeout(pipeline));
        pipeline.addAfter(HTTP_ENCODER, HttpIdleCloser.NAME, new HttpIdleCloser());
        // Nearest the socket, so it counts every byte written, TLS records included.
        pipeline.addFirst(ChannelOutputMeter.NAME, new ChannelOutputMeter(outputBudget, engineSessions));
    }

    /** netty-socketio's one authorize handler, shared by every channel, wrapped once. */
    private NoFirstDataTimeout authorizeWithoutFirstDataTimeout(ChannelPipeline pipeline) {
        NoFirstDataTimeout wrapped = authorize;
        if (wrapped == null) {
            wrapped = new NoFirstDataTimeout((AuthorizeHandler) pipeline.get(AUTHORIZE_HANDLER));
            authorize = wrapped;
        }
        return wrapped;
    }

    /** netty-socketio let go of a session (its last namespace client left): so do we. */
    @Override
    public void onDisconnect(ClientHead client) {
        super.onDisconnect(client);
        engineSessions.ended(client);
    }
}
