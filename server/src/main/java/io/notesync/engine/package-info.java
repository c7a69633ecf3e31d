/**
 * The Socket.IO engine: netty-socketio 2.0.14 and every workaround that makes it speak Engine.IO v4 /
 * Socket.IO v5 as the reference (Node) server does. Nothing outside this package touches
 * netty-socketio's handlers, transports, protocol classes, stores, namespaces or pipeline; the
 * wiring calls {@link io.notesync.engine.SocketEngine} (build, start, {@code onEvent}, {@code room},
 * three callbacks), and notesync's own behaviour (in {@code io.notesync.socket}) sees only
 * {@code SocketIOClient}, {@code AckRequest}, {@code BroadcastOperations} and the listener interfaces.
 *
 * <p>Touch this package only with a netty-socketio upgrade. Then walk this checklist: for each
 * workaround, check whether the new version still behaves as described; if it no longer does,
 * remove the workaround and run the test that pins it (which must still pass). Test classes are
 * in {@code protocol-tests} ({@code src/test/java/io/notesync/protocol} and {@code js/test},
 * {@code browser/test}) unless they say {@code server}.
 *
 * <h2>Workarounds, the netty-socketio behaviour each corrects, and the test that pins it</h2>
 * <ol>
 *   <li>{@link io.notesync.engine.HandshakeJson}: the Engine.IO handshake ({@code 0{...}}) lacks
 *       {@code maxPayload}; socket.io-client 4.6+ splits polling batches by it.
 *       Pinned by {@code RawProtocolTest.pollingHandshakeCarriesEveryFieldAndOffersTheWebSocketUpgrade},
 *       {@code webSocketHandshakeCarriesEveryFieldAndOffersNoUpgrade}, {@code a900KbPacketIsConfirmedOverPolling}.</li>
 *   <li>{@link io.notesync.engine.RequestGuard}: bad Engine.IO requests got 200, 500 or a dropped
 *       connection instead of 400 {@code {"code","message"}} (codes 0, 1, 2, 3, 5); a poll after the
 *       upgrade was served; a second concurrent poll did not end the session; a new session's id was
 *       taken from the client's {@code io} cookie or header (a second browser tab joined the first tab's
 *       session). Pinned by {@code RawProtocolTest.missingOrUnsupportedEioIsRefusedWithCode5},
 *       {@code unknownTransportIsRefusedWithCode0}, {@code unknownSessionIdIsRefusedWithCode1},
 *       {@code handshakeWithAnotherMethodThanGetIsRefusedWithCode2},
 *       {@code webSocketTransportWithoutUpgradeIsRefusedWithCode3}, {@code secondConcurrentPollClosesTheSession},
 *       {@code upgradeProbesThenAnswersThePendingPollWithNoopThenRefusesPolling}; the io cookie by
 *       {@code browser/test/polling.test.mjs} and {@code two-pages.test.mjs}. It also takes the {@code io}
 *       cookie netty-socketio sets off every answer (socket.io v4 sets none), pinned by
 *       {@code RawProtocolTest.noIoCookieIsSetOnTheHandshakeNorOnPollingAnswers}.</li>
 *   <li>{@link io.notesync.engine.SessionOpener}: netty-socketio joins a session to the main
 *       namespace and fires its connect listeners at the Engine.IO handshake, before the client's
 *       CONNECT ({@code 40}), and may send to it then. Pinned by
 *       {@code RawProtocolTest.nothingIsSentToANamespaceBeforeItsConnect}.</li>
 *   <li>{@link io.notesync.engine.Heartbeat}: pings and the pong timeout run on a 100 ms tick, so a dead
 *       socket outlived {@code pingInterval + pingTimeout}. Pinned by RawProtocolTest's heartbeat
 *       cases: {@code pollingHeartbeatPingsEveryIntervalAndTakesPongs},
 *       {@code webSocketHeartbeatPingsEveryIntervalAndTakesPongs},
 *       {@code pollingSessionWithoutPongIsClosedAtPingIntervalPlusPingTimeout},
 *       {@code pollingSessionLeftAloneIsGoneAfterPingIntervalPlusPingTimeout},
 *       {@code webSocketWithoutPongIsClosedAtPingIntervalPlusPingTimeout}.</li>
 *   <li>{@link io.notesync.engine.ConnectTimeout}: {@code connectTimeout} is not applied; a session
 *       that never CONNECTs stays open. Pinned by {@code RawProtocolTest.connectTimeoutClosesASessionThatNeverConnects}.</li>
 *   <li>{@link io.notesync.engine.PacketGuard} (reading with {@link io.notesync.engine.PacketSyntax}):
 *       invalid packets, close packets and events before CONNECT do not end the session; a CONNECT to
 *       an unknown namespace gets a bare string instead of {@code {"message":"Invalid namespace"}}.
 *       Pinned by {@code RawProtocolTest.pollingClosePacketEndsTheSessionAndThePendingPollGetsANoop},
 *       {@code webSocketClosePacketClosesTheSocket}, {@code invalidPacketOnPollingClosesTheSession},
 *       {@code invalidPacketOnWebSocketClosesTheSocket}, {@code connectToAnUnknownNamespaceGetsConnectErrorWithAMessageObject},
 *       {@code connectWithAnInvalidHandshakeClosesTheConnection}; the syntax by {@code server PacketSyntaxTest}.</li>
 *   <li>{@link io.notesync.engine.UpgradeNoopHandler}: one {@code noop} is written to polling after
 *       {@code 3probe}; a client that read it first opened another poll, which stayed open until the next
 *       ping: 8-15 of 100 sequential and 19-20 of 20 concurrent upgrades stalled. Pinned by
 *       {@code js/test/transports.test.mjs} ("20 sockets ... all end on websocket, each within 1 s") and
 *       {@code js/test/upgrade-conformance.test.mjs} (100 in a row), {@code RawProtocolTest.upgradeProbesThenAnswersThePendingPollWithNoopThenRefusesPolling}.</li>
 *   <li>{@link io.notesync.engine.AbandonedProbeGuard}: an upgrade-probe WebSocket that closes before the
 *       upgrade ends the whole session and queues {@code 41} on polling ("io server disconnect" for a
 *       socket never connected). Pinned by {@code RawProtocolTest.aProbeWebSocketThatClosesBeforeTheUpgradeLeavesThePollingSessionConnected}.</li>
 *   <li>{@link io.notesync.engine.ConnectObserver}: the connect listener fires at the handshake (before
 *       the {@code auth} payload is known) and the auth-token listener is skipped for a CONNECT without
 *       payload; neither is the moment the token check needs. Pinned by {@code js/test/connect.test.mjs}
 *       (invalidToken cases without auth, Bearer header, query token) and {@code server ConnectObserverTest}
 *       (CONNECT detection).</li>
 *   <li>{@link io.notesync.engine.LosslessPacketEncoder}: the polling encoder drops one packet per
 *       response that hits its 50-packet limit (it polls the queue before checking the limit): 27 of
 *       1,500 answers lost. Pinned by {@code PollingDeliveryTest.everyAnswerReachesAPollingClientWhenMoreThanFiftyAreQueued}.</li>
 *   <li>{@link io.notesync.engine.NotesyncChannelInitializer}: the HTTP response encoder sits after the
 *       aggregator, so the aggregator's 413 for a body over maxPayload was never encoded (the client saw a
 *       dropped connection); the encoder is moved ahead of it. Pinned by
 *       {@code RawProtocolTest.aPacketOverMaxPayloadIsRefusedAndTheServerStaysUp}.</li>
 *   <li>{@link io.notesync.engine.OversizeCloser}: a fragmented WebSocket message over maxPayload was
 *       swallowed unhandled and the socket stayed open; now closed with 1009. Pinned by
 *       {@code RawProtocolTest.aPacketOverMaxPayloadIsRefusedAndTheServerStaysUp}.</li>
 *   <li>{@link io.notesync.engine.HonestConnectionHeader}: polling answers say {@code Connection:
 *       keep-alive} and then close the connection; a client's next POST on it failed with no answer.
 *       No dedicated test: the JS suite's polling-only cases ({@code js/test/packets.test.mjs},
 *       {@code connect.test.mjs}) failed that way before it.</li>
 *   <li>{@link io.notesync.engine.LoggingExceptionListener} (and logback.xml silencing
 *       {@code InPacketHandler} and {@code JsonSupportWrapper}): netty-socketio logs raw payloads, which
 *       may hold tokens, on decode errors. Pinned by {@code BadInputTest} (thousands of malformed
 *       packets answered or ignored, server up) and {@code server LoggingExceptionListenerTest} (the line for a
 *       packet that did not decode names exception classes, never the payload).</li>
 *   <li>{@link io.notesync.engine.ClusterStoreFactory} in place of {@code RedissonStoreFactory}: it
 *       publishes synchronously on event loops on every connect and disconnect, keeps per-socket Redis
 *       hashes, grows room tables with other nodes' sockets, and dispatches with the wrong Engine.IO
 *       version. Pinned by every {@code ClusterTest} case (two and three nodes, an edit and a delete over HTTP,
 *       a node's death, a Redis restart).</li>
 *   <li>{@link io.notesync.engine.SocketEngine}: {@code SocketIOServer.stop()} was once seen waiting
 *       forever for idle event loops; the stop is bounded to 20 s. Not reproduced; {@code ShutdownTest}
 *       pins the shutdown as a whole.</li>
 *   <li>{@link io.notesync.engine.TlsReentryBypass} (with {@link io.notesync.engine.TlsContext}): netty-socketio
 *       re-fires a request's decoded packets from the pipeline head while the request is still being
 *       handled; behind netty's SslHandler they were queued until after their buffer was released
 *       ({@code IllegalReferenceCountException}, dropped connection for every polling POST and WebSocket
 *       frame over TLS; netty-socketio issue 1062). Its own TLS takes a Java key store only; notesync takes
 *       PEM files. Pinned by {@code js/test/tls.test.mjs} and {@code browser/test/tls.test.mjs}.</li>
 *   <li>{@link io.notesync.engine.RequestGuard} (with {@link io.notesync.engine.EngineSession#exclusively},
 *       {@link io.notesync.engine.ConnectionOrder}): netty-socketio decides a session's close on one event
 *       loop while a later request for the same {@code sid} is served on another, and writes a POST's
 *       {@code ok} before judging its packets: a poll after a close packet, an invalid packet or the
 *       upgrade could still get 200, and a second WebSocket after the upgrade got 400 where the reference
 *       accepts and closes it. Requests are admitted under the session's lock, so a close is final for
 *       every later request. Pinned by the 50-iteration loops in
 *       {@code RawProtocolTest.invalidPacketOnPollingClosesTheSession},
 *       {@code closePacketPostedWhileAPollIsOpenAnswersThePollWithNoopThenTheSessionIsGone},
 *       {@code ofTwoPollsOneGetsTheCloseAndTheOtherIsRefused}, {@code aPollSentAfterTheUpgradeIsRefusedWithCode3},
 *       {@code aSecondWebSocketAfterTheUpgradeIsAcceptedThenClosed}.</li>
 *   <li>{@link io.notesync.engine.WebSocketTrim} (memory, not correctness): netty-socketio leaves every
 *       HTTP-only handler in a channel's pipeline after the WebSocket upgrade, a context object each per
 *       idle socket. Removed at the first frame. Measured by {@code bench/run.sh} (idle scenario, class
 *       histogram); every WebSocket test exercises it.</li>
 *   <li>{@link io.notesync.engine.EventLoops}: netty-socketio does not hand a listener its channel; the
 *       answers of a stored packet go back to the listener's event loop through Netty's thread map
 *       ({@code ThreadExecutorMap}, internal in 4.1 and 4.2). Exercised by every packet test.</li>
 *   <li>{@link io.notesync.engine.SessionQueues}, {@link io.notesync.engine.HeldPacketQueue},
 *       {@link io.notesync.engine.ChannelOutputMeter}, {@link io.notesync.engine.OutputBudget}: netty-socketio
 *       queues every packet for a session without bound ({@code ClientHead.send} into its per-transport
 *       queue) and writes WebSocket frames without looking at the channel's writability: 19 paused
 *       WebSockets of one user filled the 128 MiB of direct memory in 2 s and the embedded store failed
 *       with {@code OutOfMemoryError}. Each session's queues are replaced (through {@code ClientHead}'s
 *       private map of transport states) by counting ones, every channel's unsent output is counted at
 *       the pipeline's head, and a socket over {@code socketio.maxBufferedBytes} or the largest holders
 *       over the process budget are cut off. Pinned by {@code SlowConsumerTest} (four cases: paused
 *       WebSockets, one over its own bound, a polling session that stopped polling, five users at once
 *       under {@code bin/notesync}'s JVM limits).</li>
 *   <li>{@link io.notesync.engine.NoFirstDataTimeout} (with {@link io.notesync.engine.HttpIdleCloser}):
 *       {@code firstDataTimeout} starts in {@code AuthorizeHandler.channelActive} and is cancelled only in
 *       its {@code channelRead}, which requests answered by notesync's HTTP API never reach: every such
 *       connection was closed 5 s after it opened, busy or idle, without a {@code Keep-Alive} header.
 *       The timer is not started; idle connections are closed by HttpIdleCloser (6 s after the last answer,
 *       30 s for the first request: at 5 or 6 s a reconnect storm's upgrade requests, resent by TCP after the
 *       accept queue overflowed, found their connection closed; {@code bench/run.sh}'s storm scenario). Pinned by
 *       {@code HttpKeepAliveTest} (reuse across the limit, idle close after the announced timeout, a
 *       request waiting 7 s for the store answered).</li>
 * </ol>
 *
 * <h2>Known and left alone</h2>
 * Binary attachments batched with other packets in one long-polling payload are mis-assembled
 * (netty-socketio takes the next packet as the attachment); after {@code 41} on "/" netty-socketio
 * drops the whole Engine.IO session (the reference keeps it); a ByteBuf LEAK report under load.
 */
package io.notesync.engine;
