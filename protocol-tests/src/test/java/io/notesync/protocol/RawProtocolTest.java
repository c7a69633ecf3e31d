package io.notesync.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine.IO v4 and Socket.IO v5 as the reference (Node) server speaks them, checked over raw
 * HTTP and WebSocket against notesync started with the settings of the official conformance
 * suites: pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1,000,000.
 */
class RawProtocolTest {

    static final int PING_INTERVAL = 300;
    static final int PING_TIMEOUT = 200;
    static final int MAX_PAYLOAD = 1_000_000;
    /**
     * How late the server may be, as this client sees it on a busy machine: the server's timers
     * are precise (Heartbeat), but both processes may wait for a core.
     */
    static final int LATENESS_MS = 1000;
    /** How often a case of a race between two connections runs in one test, so that the race shows. */
    static final int RACE_REPEATS = 50;

    /** The official suites' settings, for what they pin: the handshake, and a heartbeat nobody answers. */
    private static TestServer conformance;
    /** The heartbeat of the official settings, with a pong deadline a loaded machine meets. */
    private static TestServer pongs;
    /**
     * Everything else: a heartbeat too slow to interfere (a ping answering a poll, or a session of
     * a client that was not scheduled in time timing out), so each test sees only what it is about.
     */
    private static TestServer server;
    private static RawEngineIo craw;
    private static RawEngineIo praw;
    private static RawEngineIo raw;
    private final List<RawEngineIo.Ws> sockets = new ArrayList<>();

    @BeforeAll
    static void start() {
        conformance = TestServer.start(Map.of(
                "socketio.pingIntervalMs", String.valueOf(PING_INTERVAL),
                "socketio.pingTimeoutMs", String.valueOf(PING_TIMEOUT),
                "socketio.maxPayloadBytes", String.valueOf(MAX_PAYLOAD)));
        pongs = TestServer.start(Map.of(
                "socketio.pingIntervalMs", String.valueOf(PING_INTERVAL),
                "socketio.pingTimeoutMs", "10000"));
        server = TestServer.start(Map.of(
                "socketio.pingIntervalMs", "60000",
                "socketio.pingTimeoutMs", "60000",
                "socketio.maxPayloadBytes", String.valueOf(MAX_PAYLOAD),
                "limits.maxNoteChars", "100000"));
        craw = new RawEngineIo(conformance.url());
        praw = new RawEngineIo(pongs.url());
        raw = new RawEngineIo(server.url());
    }

    @AfterAll
    static void stop() {
        for (TestServer s : new TestServer[] {conformance, pongs, server}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(RawEngineIo.Ws::abort);
    }

    private RawEngineIo.Ws ws(String query) {
        return ws(raw, query);
    }

    private RawEngineIo.Ws ws(RawEngineIo on, String query) {
        RawEngineIo.Ws ws = on.websocket(query);
        sockets.add(ws);
        return ws;
    }

    private RawEngineIo.Ws openWs() throws InterruptedException {
        return openWs(raw);
    }

    private RawEngineIo.Ws openWs(Map<String, String> headers) throws InterruptedException {
        RawEngineIo.Ws ws = raw.websocket("EIO=4&transport=websocket", headers);
        sockets.add(ws);
        String open = ws.next(5000);
        assertNotNull(open, "handshake");
        assertTrue(open.startsWith("0"), open);
        return ws;
    }

    private RawEngineIo.Ws openWs(RawEngineIo on) throws InterruptedException {
        RawEngineIo.Ws ws = ws(on, "EIO=4&transport=websocket");
        String open = ws.next(5000);
        assertNotNull(open, "handshake");
        assertTrue(open.startsWith("0"), open);
        return ws;
    }

    private static void assertError(HttpResponse<String> response, int code, String message) {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = RawEngineIo.json(response.body());
        assertEquals(code, body.get("code").asInt(), response.body());
        assertEquals(message, body.get("message").asText(), response.body());
    }

    private static void assertHandshake(JsonNode handshake, List<String> upgrades) {
        Set<String> keys = new java.util.HashSet<>();
        handshake.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"), keys, handshake.toString());
        assertTrue(handshake.get("sid").isTextual());
        List<String> actual = new ArrayList<>();
        handshake.get("upgrades").forEach(u -> actual.add(u.asText()));
        assertEquals(upgrades, actual);
        assertEquals(PING_INTERVAL, handshake.get("pingInterval").asInt());
        assertEquals(PING_TIMEOUT, handshake.get("pingTimeout").asInt());
        assertEquals(MAX_PAYLOAD, handshake.get("maxPayload").asInt());
    }

    // ---- handshake ------------------------------------------------------------------------

    @Test
    void pollingHandshakeCarriesEveryFieldAndOffersTheWebSocketUpgrade() {
        assertHandshake(craw.openPolling(), List.of("websocket"));
    }

    @Test
    void webSocketHandshakeCarriesEveryFieldAndOffersNoUpgrade() throws Exception {
        RawEngineIo.Ws ws = ws(craw, "EIO=4&transport=websocket");
        String open = ws.next(5000);
        assertNotNull(open);
        assertTrue(open.startsWith("0"), open);
        assertHandshake(RawEngineIo.json(open.substring(1)), List.of());
    }

    @Test
    void noIoCookieIsSetOnTheHandshakeNorOnPollingAnswers() {
        HttpResponse<String> handshake = raw.get("EIO=4&transport=polling");
        assertEquals(200, handshake.statusCode(), handshake.body());
        assertEquals(List.of(), handshake.headers().allValues("set-cookie"), "the handshake sets no cookie");
        String sid = RawEngineIo.json(handshake.body().substring(1)).get("sid").asText();
        HttpResponse<String> post = raw.push(sid, "40");
        assertEquals(List.of(), post.headers().allValues("set-cookie"), "a polling POST sets no cookie");
        HttpResponse<String> poll = raw.poll(sid);
        assertTrue(poll.body().startsWith("4"), poll.body());
        assertEquals(List.of(), poll.headers().allValues("set-cookie"), "a polling GET sets no cookie");
    }

    // ---- bad requests ---------------------------------------------------------------------

    @Test
    void missingOrUnsupportedEioIsRefusedWithCode5() {
        for (String query : List.of("transport=polling", "EIO=abc&transport=polling", "EIO=3&transport=polling")) {
            assertError(raw.get(query), 5, "Unsupported protocol version");
        }
        RawEngineIo.Refused refused = assertThrows(RawEngineIo.Refused.class, () -> ws("transport=websocket"));
        assertEquals(400, refused.status);
        refused = assertThrows(RawEngineIo.Refused.class, () -> ws("EIO=abc&transport=websocket"));
        assertEquals(400, refused.status);
    }

    @Test
    void unknownTransportIsRefusedWithCode0() {
        assertError(raw.get("EIO=4"), 0, "Transport unknown");
        assertError(raw.get("EIO=4&transport=abc"), 0, "Transport unknown");
        RawEngineIo.Refused refused = assertThrows(RawEngineIo.Refused.class, () -> ws("EIO=4&transport=abc"));
        assertEquals(400, refused.status);
    }

    @Test
    void unknownSessionIdIsRefusedWithCode1() {
        String unknown = UUID.randomUUID().toString();
        assertError(raw.poll(unknown), 1, "Session ID unknown");
        assertError(raw.push(unknown, "40"), 1, "Session ID unknown");
        assertError(raw.poll("not-a-session"), 1, "Session ID unknown");
        RawEngineIo.Refused refused = assertThrows(RawEngineIo.Refused.class,
                () -> ws("EIO=4&transport=websocket&sid=" + unknown));
        assertEquals(400, refused.status);
    }

    @Test
    void handshakeWithAnotherMethodThanGetIsRefusedWithCode2() {
        assertError(raw.post("EIO=4&transport=polling", "40"), 2, "Bad handshake method");
        assertError(raw.send(java.net.http.HttpRequest.newBuilder(raw.uri("EIO=4&transport=polling"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("40"))), 2, "Bad handshake method");
    }

    @Test
    void webSocketTransportWithoutUpgradeIsRefusedWithCode3() {
        assertError(raw.get("EIO=4&transport=websocket"), 3, "Bad request");
    }

    // ---- heartbeat ------------------------------------------------------------------------

    @Test
    void pollingHeartbeatPingsEveryIntervalAndTakesPongs() {
        String sid = praw.openPollingSid();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> poll = praw.poll(sid);
            assertEquals(200, poll.statusCode());
            assertEquals("2", poll.body());
            HttpResponse<String> pong = praw.push(sid, "3");
            assertEquals(200, pong.statusCode());
            assertEquals("ok", pong.body());
        }
    }

    @Test
    void webSocketHeartbeatPingsEveryIntervalAndTakesPongs() throws Exception {
        long from = System.nanoTime();
        RawEngineIo.Ws ws = openWs(praw);
        for (int i = 0; i < 3; i++) {
            assertEquals("2", ws.next(PING_INTERVAL + LATENESS_MS + 5000));
            // From before the handshake request, then from after the pong: never before the server's timer started.
            long waited = TimeUnit.NANOSECONDS.toMillis(ws.lastMessageAtNanos - from);
            assertTrue(waited >= PING_INTERVAL - 20 && waited <= PING_INTERVAL + LATENESS_MS, "ping after " + waited + " ms");
            from = System.nanoTime();
            ws.send("3");
        }
        assertFalse(ws.closed.isDone());
    }

    @Test
    void pollingSessionWithoutPongIsClosedAtPingIntervalPlusPingTimeout() throws Exception {
        long start = System.nanoTime();
        String sid = craw.openPollingSid();
        assertEquals("2", craw.poll(sid).body());
        // The next poll stays open until the session is closed: it then gets the close packet.
        HttpResponse<String> last = craw.poll(sid);
        long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("1", last.body());
        assertTrue(closedAfter >= PING_INTERVAL + PING_TIMEOUT - 20 && closedAfter <= PING_INTERVAL + PING_TIMEOUT + LATENESS_MS,
                "closed after " + closedAfter + " ms");
        assertError(craw.poll(sid), 1, "Session ID unknown");
    }

    @Test
    void pollingSessionLeftAloneIsGoneAfterPingIntervalPlusPingTimeout() throws Exception {
        String sid = craw.openPollingSid();
        Thread.sleep(PING_INTERVAL + PING_TIMEOUT + LATENESS_MS);
        assertError(craw.poll(sid), 1, "Session ID unknown");
    }

    @Test
    void webSocketWithoutPongIsClosedAtPingIntervalPlusPingTimeout() throws Exception {
        long start = System.nanoTime();
        RawEngineIo.Ws ws = openWs(craw);
        long opened = ws.firstMessageAtNanos;
        assertEquals("2", ws.next(PING_INTERVAL + LATENESS_MS));
        long pinged = ws.lastMessageAtNanos;
        assertTrue(ws.awaitClose(PING_TIMEOUT + LATENESS_MS + 5000), "closed");
        // Lower bounds from before the handshake request (the server's timers start after it), upper
        // bounds from the handshake's arrival (they started before it): a client that was not
        // scheduled in time can make the server look neither early nor late.
        long pingAfter = TimeUnit.NANOSECONDS.toMillis(pinged - start);
        long closedAfter = TimeUnit.NANOSECONDS.toMillis(ws.closedAtNanos - start);
        assertTrue(pingAfter >= PING_INTERVAL - 20, "ping " + pingAfter + " ms after the handshake request");
        assertTrue(closedAfter >= PING_INTERVAL + PING_TIMEOUT - 20, "closed " + closedAfter + " ms after the handshake request");
        long lateOpen = TimeUnit.NANOSECONDS.toMillis(pinged - opened);
        long lateClose = TimeUnit.NANOSECONDS.toMillis(ws.closedAtNanos - opened);
        assertTrue(lateOpen <= PING_INTERVAL + LATENESS_MS, "ping " + lateOpen + " ms after the handshake");
        assertTrue(lateClose <= PING_INTERVAL + PING_TIMEOUT + LATENESS_MS, "closed " + lateClose + " ms after the handshake");
    }

    // ---- close ----------------------------------------------------------------------------

    @Test
    void pollingClosePacketEndsTheSessionAndThePendingPollGetsANoop() throws Exception {
        String sid = raw.openPollingSid();
        CompletableFuture<HttpResponse<String>> pending = raw.pollAsync(sid);
        assertEquals(200, raw.push(sid, "1").statusCode());
        HttpResponse<String> poll = pending.get(5, TimeUnit.SECONDS);
        assertEquals(200, poll.statusCode());
        assertEquals("6", poll.body());
        assertError(raw.poll(sid), 1, "Session ID unknown");
    }

    @Test
    void webSocketClosePacketClosesTheSocket() throws Exception {
        RawEngineIo.Ws ws = openWs();
        ws.send("1");
        assertTrue(ws.awaitClose(5000), "closed");
    }

    @Test
    void invalidPacketOnPollingClosesTheSession() {
        // The poll is sent as soon as the POST's answer is in: the close must have taken effect by then.
        for (int i = 0; i < RACE_REPEATS; i++) {
            for (String invalid : List.of("4abc", "abc", "40\"abc\"", "42[\"connect\"]")) {
                String sid = raw.openPollingSid();
                raw.push(sid, invalid);
                assertError(raw.poll(sid), 1, "Session ID unknown");
            }
        }
    }

    @Test
    void closePacketPostedWhileAPollIsOpenAnswersThePollWithNoopThenTheSessionIsGone() throws Exception {
        // The official suite's "should forcefully close the session": the poll and the POST go out together.
        for (int i = 0; i < RACE_REPEATS; i++) {
            String sid = raw.openPollingSid();
            CompletableFuture<HttpResponse<String>> pending = raw.pollAsync(sid);
            CompletableFuture<HttpResponse<String>> close = raw.pushAsync(sid, "1");
            HttpResponse<String> poll = pending.get(5, TimeUnit.SECONDS);
            assertEquals(200, poll.statusCode(), "run " + i + ": " + poll.body());
            assertEquals("6", poll.body(), "run " + i);
            assertEquals(200, close.get(5, TimeUnit.SECONDS).statusCode(), "run " + i);
            assertError(raw.poll(sid), 1, "Session ID unknown");
        }
    }

    @Test
    void invalidPacketOnWebSocketClosesTheSocket() throws Exception {
        for (String invalid : List.of("4abc", "abc", "40\"abc\"")) {
            RawEngineIo.Ws ws = openWs();
            ws.send(invalid);
            assertTrue(ws.awaitClose(5000), invalid + " closes the socket");
        }
    }

    @Test
    void secondConcurrentPollClosesTheSession() throws Exception {
        String sid = raw.openPollingSid();
        CompletableFuture<HttpResponse<String>> first = raw.pollAsync(sid);
        Thread.sleep(100);
        CompletableFuture<HttpResponse<String>> second = raw.pollAsync(sid);
        List<HttpResponse<String>> answers = List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
        // Whichever reached the server second is refused; the one left open gets the close packet.
        HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 400).findFirst().orElseThrow(
                () -> new AssertionError("no 400 among " + answers.stream().map(r -> r.statusCode() + " " + r.body()).toList()));
        assertError(refused, 3, "Bad request");
        HttpResponse<String> open = answers.get(0) == refused ? answers.get(1) : answers.get(0);
        assertEquals(200, open.statusCode());
        assertEquals("1", open.body());
        assertError(raw.poll(sid), 1, "Session ID unknown");
    }

    @Test
    void ofTwoPollsOneGetsTheCloseAndTheOtherIsRefused() throws Exception {
        // The official suite's "closes the session upon duplicate poll requests": the second poll
        // leaves 5 ms after the first. The server reads the two connections on two threads and
        // cannot know which the client sent first (a pooled keep-alive connection may carry either,
        // and a loaded machine may deliver the later one first): the reference holds the one it read
        // first. What must always hold: one poll gets the close packet, the other 400 code 3, and
        // the session is gone. (The server holds the poll of the earlier-accepted connection when
        // both race, so the usual order is the suite's.)
        for (int i = 0; i < RACE_REPEATS; i++) {
            String sid = raw.openPollingSid();
            CompletableFuture<HttpResponse<String>> first = raw.pollAsync(sid);
            Thread.sleep(5);
            CompletableFuture<HttpResponse<String>> second = raw.getAsync("EIO=4&transport=polling&t=burst&sid=" + sid);
            List<HttpResponse<String>> answers = List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
            String seen = "run " + i + ": " + answers.stream().map(r -> r.statusCode() + " " + r.body()).toList();
            HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 400).findFirst()
                    .orElseThrow(() -> new AssertionError("no 400: " + seen));
            HttpResponse<String> held = answers.get(0) == refused ? answers.get(1) : answers.get(0);
            assertEquals(200, held.statusCode(), seen);
            assertEquals("1", held.body(), seen);
            assertError(refused, 3, "Bad request");
            assertError(raw.poll(sid), 1, "Session ID unknown");
        }
    }

    // ---- upgrade --------------------------------------------------------------------------

    @Test
    void aProbeWebSocketThatClosesBeforeTheUpgradeLeavesThePollingSessionConnected() throws Exception {
        String sid = raw.openPollingSid();
        assertEquals(200, raw.push(sid, "40{\"token\":\"" + server.token("prober") + "\"}").statusCode());
        RawEngineIo.Ws ws = ws("EIO=4&transport=websocket&sid=" + sid);
        ws.send("2probe");
        assertEquals("3probe", ws.next(5000));
        ws.abort();

        // The CONNECT is answered over polling, and no DISCONNECT (41) follows: the session lives on.
        // Until the server has seen the probe close, a poll may get the upgrade's noop first.
        HttpResponse<String> poll = raw.poll(sid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ("6".equals(poll.body()) && System.nanoTime() < deadline) {
            poll = raw.poll(sid);
        }
        assertEquals(200, poll.statusCode());
        assertTrue(poll.body().contains("40{"), poll.body());
        assertFalse(java.util.Arrays.stream(poll.body().split(RawEngineIo.RS)).anyMatch(record -> record.startsWith("41")),
                poll.body());
        assertEquals(200, raw.push(sid, "42[\"packet\",{}]").statusCode());
        HttpResponse<String> answer = raw.poll(sid);
        assertTrue(answer.body().contains("packetError"), answer.body());
    }

    @Test
    void upgradeProbesThenAnswersThePendingPollWithNoopThenRefusesPolling() throws Exception {
        String sid = raw.openPollingSid();
        CompletableFuture<HttpResponse<String>> pending = raw.pollAsync(sid);
        Thread.sleep(50);
        RawEngineIo.Ws ws = ws("EIO=4&transport=websocket&sid=" + sid);
        ws.send("2probe");
        assertEquals("3probe", ws.next(5000));
        HttpResponse<String> poll = pending.get(5, TimeUnit.SECONDS);
        assertEquals(200, poll.statusCode());
        assertEquals("6", poll.body());
        ws.send("5");

        assertError(raw.poll(sid), 3, "Bad request");
        RawEngineIo.Ws second = ws("EIO=4&transport=websocket&sid=" + sid);
        assertTrue(second.awaitClose(5000), "a second WebSocket after the upgrade is accepted, then closed");

        ws.send("40{\"token\":\"" + server.token("upgrader") + "\"}");
        String connected = ws.nextNonPing(5000);
        assertNotNull(connected);
        assertTrue(connected.startsWith("40{\"sid\":"), connected);
    }

    /** A polling session with a WebSocket that sent 2probe and 5 without waiting for the 3probe. */
    private RawEngineIo.Ws upgradeWithoutWaiting(String sid) {
        RawEngineIo.Ws ws = ws("EIO=4&transport=websocket&sid=" + sid);
        ws.send("2probe");
        ws.send("5");
        return ws;
    }

    @Test
    void aPollSentAfterTheUpgradeIsRefusedWithCode3() throws Exception {
        // The official suite's "should ignore HTTP requests with same sid after upgrade": the 5 and
        // the poll travel on different connections, which the server reads on different threads.
        for (int i = 0; i < RACE_REPEATS; i++) {
            String sid = raw.openPollingSid();
            RawEngineIo.Ws ws = upgradeWithoutWaiting(sid);
            assertError(raw.poll(sid), 3, "Bad request");
            assertEquals("3probe", ws.next(5000), "run " + i);
            assertFalse(ws.closed.isDone(), "run " + i + ": the upgraded WebSocket stays open");
            ws.abort();
        }
    }

    @Test
    void aSecondWebSocketAfterTheUpgradeIsAcceptedThenClosed() throws Exception {
        // The official suite's "should ignore WebSocket connection with same sid after upgrade".
        for (int i = 0; i < RACE_REPEATS; i++) {
            String sid = raw.openPollingSid();
            RawEngineIo.Ws ws = upgradeWithoutWaiting(sid);
            RawEngineIo.Ws second = ws("EIO=4&transport=websocket&sid=" + sid);
            assertTrue(second.awaitClose(5000), "run " + i + ": the second WebSocket is closed");
            assertEquals("3probe", ws.next(5000), "run " + i);
            assertFalse(ws.closed.isDone(), "run " + i + ": the upgraded WebSocket stays open");
            ws.abort();
        }
    }

    // ---- Socket.IO ------------------------------------------------------------------------

    @Test
    void connectToAnUnknownNamespaceGetsConnectErrorWithAMessageObject() throws Exception {
        RawEngineIo.Ws ws = openWs();
        ws.send("40/random");
        assertEquals("44/random,{\"message\":\"Invalid namespace\"}", ws.nextNonPing(5000));

        String sid = raw.openPollingSid();
        assertEquals(200, raw.push(sid, "40/random,").statusCode());
        assertEquals("44/random,{\"message\":\"Invalid namespace\"}", raw.poll(sid).body());
    }

    @Test
    void connectWithAnInvalidHandshakeClosesTheConnection() throws Exception {
        RawEngineIo.Ws ws = openWs();
        ws.send("4abc");
        assertTrue(ws.awaitClose(5000));
        RawEngineIo.Ws ws2 = openWs();
        ws2.send("40[\"not an object\"]");
        assertTrue(ws2.awaitClose(5000));
    }

    @Test
    void connectWithATokenIsAnsweredWithTheSocketId() throws Exception {
        RawEngineIo.Ws ws = openWs();
        ws.send("40{\"token\":\"" + server.token("raw-connect") + "\"}");
        String connected = ws.nextNonPing(5000);
        assertNotNull(connected);
        assertTrue(connected.startsWith("40{\"sid\":"), connected);
        assertFalse(ws.closed.isDone());
    }

    @Test
    void nothingIsSentToANamespaceBeforeItsConnect() throws Exception {
        String user = "before-connect-" + UUID.randomUUID();
        // Two Engine.IO sessions that are the user's from their handshake on (its token in the
        // Authorization header, which a CONNECT without auth payload then uses) and have not sent
        // CONNECT yet...
        Map<String, String> asTheUser = Map.of("Authorization", "Bearer " + server.token(user));
        RawEngineIo.Ws idle = openWs(asTheUser);
        RawEngineIo.Ws control = openWs(asTheUser);
        // ...and a connected socket of the same user storing a packet (fPacket goes to the user's room).
        RawEngineIo.Ws sender = openWs();
        sender.send("40{\"token\":\"" + server.token(user) + "\"}");
        assertTrue(sender.nextNonPing(5000).startsWith("40"));
        sender.send("42[\"packet\",{\"packetId\":\"p-1\",\"videoUrl\":\"https://example.com/v\","
                + "\"notes\":[{\"text\":\"hi\",\"timestamp\":1}]}]");
        String confirmation = sender.nextNonPing(5000);
        assertNotNull(confirmation);
        assertTrue(confirmation.startsWith("42[\"confirmation\""), confirmation);

        // The control: once it sends CONNECT, the same kind of session does get the user's fPackets.
        control.send("40");
        String connected = control.nextNonPing(5000);
        assertTrue(connected != null && connected.startsWith("40{"), String.valueOf(connected));
        sender.send("42[\"packet\",{\"packetId\":\"p-2\",\"videoUrl\":\"https://example.com/v\","
                + "\"notes\":[{\"text\":\"again\",\"timestamp\":2}]}]");
        assertTrue(sender.nextNonPing(5000).startsWith("42[\"confirmation\""));
        String forwarded = control.nextNonPing(5000);
        assertTrue(forwarded != null && forwarded.startsWith("42[\"fPacket\"") && forwarded.contains("p-2"),
                String.valueOf(forwarded));

        // By now p-1's and p-2's fPackets would have reached the idle session had it been joined.
        for (String message; (message = idle.next(0)) != null; ) {
            assertEquals("2", message, "only pings before CONNECT");
            idle.send("3");
        }
        // An event before CONNECT is not allowed: the reference closes the connection.
        idle.send("42[\"packet\",{}]");
        assertTrue(idle.awaitClose(5000));
        assertTrue(idle.messages.stream().allMatch("2"::equals), idle.messages.toString());
    }

    @Test
    void connectTimeoutClosesASessionThatNeverConnects() throws Exception {
        try (TestServer short_ = TestServer.start(Map.of(
                "socketio.pingIntervalMs", "5000", "socketio.pingTimeoutMs", "5000", "socketio.connectTimeoutMs", "800"))) {
            RawEngineIo shortRaw = new RawEngineIo(short_.url());
            long start = System.nanoTime();
            RawEngineIo.Ws ws = shortRaw.websocket("EIO=4&transport=websocket");
            sockets.add(ws);
            assertTrue(ws.awaitClose(3000), "closed");
            long closedAfter = TimeUnit.NANOSECONDS.toMillis(ws.closedAtNanos - start);
            assertTrue(closedAfter >= 780 && closedAfter <= 800 + LATENESS_MS, "closed after " + closedAfter + " ms");

            RawEngineIo.Ws connected = shortRaw.websocket("EIO=4&transport=websocket");
            sockets.add(connected);
            connected.next(5000);
            connected.send("40{\"token\":\"" + short_.token("patient") + "\"}");
            assertTrue(connected.next(5000).startsWith("40"));
            assertFalse(connected.awaitClose(1200), "a connected socket stays");
        }
    }

    // ---- maxPayload -----------------------------------------------------------------------

    /** A Socket.IO EVENT frame `42["packet",{...}]` of exactly {@code bytes} bytes. */
    static String packetFrame(String packetId, int bytes) {
        String head = "42[\"packet\",{\"packetId\":\"" + packetId + "\",\"videoUrl\":\"https://example.com/big\",\"notes\":[";
        String tail = "]}]";
        int notes = 10;
        String noteHead = "{\"timestamp\":1,\"text\":\"";
        String noteTail = "\"}";
        int overhead = head.length() + tail.length() + notes * (noteHead.length() + noteTail.length()) + (notes - 1);
        int textTotal = bytes - overhead;
        StringBuilder frame = new StringBuilder(bytes).append(head);
        for (int i = 0; i < notes; i++) {
            int length = textTotal / notes + (i < textTotal % notes ? 1 : 0);
            frame.append(i == 0 ? "" : ",").append(noteHead).append("n".repeat(length)).append(noteTail);
        }
        String result = frame.append(tail).toString();
        assertEquals(bytes, result.length());
        return result;
    }

    @Test
    void a900KbPacketIsConfirmedOverPolling() {
        String sid = raw.openPollingSid();
        assertEquals(200, raw.push(sid, "40{\"token\":\"" + server.token("big-polling") + "\"}").statusCode());
        assertTrue(raw.poll(sid).body().startsWith("40"));
        HttpResponse<String> pushed = raw.push(sid, packetFrame("big-polling-1", 900_000));
        assertEquals(200, pushed.statusCode(), pushed.body());
        String answer = "";
        for (int i = 0; i < 10 && !answer.contains("confirmation"); i++) {
            answer = raw.poll(sid).body();
            if (answer.equals("2")) {
                raw.push(sid, "3");
            }
        }
        assertTrue(answer.startsWith("42[\"confirmation\",{\"ok\":true,\"packetId\":\"big-polling-1\",\"status\":\"stored\""), answer);
    }

    @Test
    void a900KbPacketIsConfirmedOverWebSocket() throws Exception {
        RawEngineIo.Ws ws = openWs();
        ws.send("40{\"token\":\"" + server.token("big-ws") + "\"}");
        assertTrue(ws.nextNonPing(5000).startsWith("40"));
        ws.send(packetFrame("big-ws-1", 900_000));
        String answer = ws.nextNonPing(5000);
        assertNotNull(answer);
        assertTrue(answer.startsWith("42[\"confirmation\",{\"ok\":true,\"packetId\":\"big-ws-1\",\"status\":\"stored\""), answer);
    }

    @Test
    void aPacketOverMaxPayloadIsRefusedAndTheServerStaysUp() throws Exception {
        String sid = raw.openPollingSid();
        HttpResponse<String> tooLarge = raw.push(sid, packetFrame("too-large-1", MAX_PAYLOAD + 1));
        assertEquals(413, tooLarge.statusCode());

        RawEngineIo.Ws ws = openWs();
        ws.send("40{\"token\":\"" + server.token("too-large") + "\"}");
        assertTrue(ws.nextNonPing(5000).startsWith("40"));
        ws.socket.sendText(packetFrame("too-large-2", MAX_PAYLOAD + 1), true);
        assertTrue(ws.awaitClose(8000), "closed");
        assertEquals(1009, ws.closed.get(), "close code: message too big");

        assertEquals("websocket", raw.openPolling().get("upgrades").get(0).asText());
        assertEquals(200, raw.get("EIO=4&transport=polling").statusCode());
    }
}
