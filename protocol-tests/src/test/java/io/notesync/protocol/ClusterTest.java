package io.notesync.protocol;

import io.notesync.store.EmbeddedMongo;
import io.socket.client.IO;
import io.socket.engineio.client.transports.WebSocket;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several nodes, one Redis, one database: fPacket reaches a user's sockets on every node exactly
 * once and nobody else's; a node's death and a Redis restart lose no stored packet.
 */
class ClusterTest {

    private static final String VIDEO = "https://vimeo.com/22439234";
    private static final String WS = WebSocket.NAME;

    private static TestRedis redis;
    private static EmbeddedMongo mongo;
    private static String mongoUri;
    private static final String DATABASE = "notesync_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void startRedisAndDatabase() {
        // socket.io-client-java's default OkHttp client runs each WebSocket's reader as a call of its
        // dispatcher, which allows 64 at a time: the 65th socket of this JVM never connects.
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(1024);
        dispatcher.setMaxRequestsPerHost(1024);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(1, TimeUnit.MINUTES).build();
        IO.setDefaultOkHttpWebSocketFactory(http);
        IO.setDefaultOkHttpCallFactory(http);
        redis = TestRedis.start();
        String external = System.getenv(TestServer.MONGODB_URI_VARIABLE);
        if (external != null && !external.isBlank()) {
            mongoUri = external;
        } else {
            // One database for every node, as a replica set would be in production.
            mongo = EmbeddedMongo.start(TestServer.temporaryDataDir(), 0);
            mongoUri = mongo.connectionString();
        }
    }

    @AfterAll
    static void stopRedisAndDatabase() {
        if (redis != null) {
            redis.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }

    /** What every node of these tests shares: the Redis and the database. */
    private static Map<String, String> node(Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cluster.redis.uri", redis.uri());
        settings.put("mongodb.uri", mongoUri);
        settings.put("mongodb.database", DATABASE);
        settings.putAll(extra);
        return settings;
    }

    @Test
    void twoNodesDeliverToTheUsersOtherSocketsOnlyAndDuplicatesAreNotRebroadcast() throws Exception {
        try (TestServer one = TestServer.start(node(Map.of())); TestServer two = TestServer.start(node(Map.of()))) {
            awaitHealth(one.url(), "up");
            awaitHealth(two.url(), "up");
            String a = "cluster-a";
            String b = "cluster-b";
            try (JavaClient sender = JavaClient.connected(one.url(), one.token(a), WS);
                 JavaClient aOnOne = JavaClient.connected(one.url(), one.token(a), WS);
                 JavaClient aOnTwo = JavaClient.connected(two.url(), two.token(a), WS);
                 JavaClient bOnOne = JavaClient.connected(one.url(), one.token(b), WS);
                 JavaClient bOnTwo = JavaClient.connected(two.url(), two.token(b), WS)) {

                JSONObject ack = sender.emitWithAck("packet", packet("two-nodes-1", VIDEO, "  across nodes ", 3))
                        .get(5, TimeUnit.SECONDS);
                assertEquals("stored", ack.getString("status"), ack.toString());

                for (JavaClient receiver : List.of(aOnOne, aOnTwo)) {
                    JSONObject forwarded = receiver.nextObject("fPacket");
                    assertEquals("two-nodes-1", forwarded.getString("packetId"));
                    assertEquals("vimeo:22439234", forwarded.getString("videoKey"));
                    assertEquals("across nodes", forwarded.getJSONArray("notes").getJSONObject(0).getString("text"));
                }
                assertFalse(sender.receives("fPacket", 500), "the sender got its own fPacket");
                assertFalse(bOnOne.receives("fPacket", 0), "user B on node 1 got user A's fPacket");
                assertFalse(bOnTwo.receives("fPacket", 0), "user B on node 2 got user A's fPacket");

                // The client lost the confirmation and resends through the other node.
                JSONObject again = aOnTwo.emitWithAck("packet", packet("two-nodes-1", VIDEO, "  across nodes ", 3))
                        .get(5, TimeUnit.SECONDS);
                assertEquals("duplicate", again.getString("status"), again.toString());
                // The control: a new packet through the same node travels the same way; it is the
                // first fPacket the other sockets get, so a rebroadcast duplicate would have come first.
                JSONObject control = aOnTwo.emitWithAck("packet", packet("two-nodes-2", VIDEO, "the control", 4))
                        .get(5, TimeUnit.SECONDS);
                assertEquals("stored", control.getString("status"), control.toString());
                for (JavaClient socket : List.of(sender, aOnOne)) {
                    assertEquals("two-nodes-2", socket.nextObject("fPacket").getString("packetId"), "a duplicate was broadcast again");
                }
                for (JavaClient socket : List.of(aOnTwo, bOnOne, bOnTwo)) {
                    assertFalse(socket.receives("fPacket", 0), "a duplicate, its own packet or another user's was forwarded");
                }
                assertEquals(List.of("across nodes", "the control"), NotesApi.texts(two.url(), two.token(a), VIDEO));
            }
        }
    }

    @Test
    void anEditAndADeleteOverHttpOnOneNodeReachEverySocketOfTheUserOnEveryNode() throws Exception {
        try (TestServer one = TestServer.start(node(Map.of())); TestServer two = TestServer.start(node(Map.of()))) {
            awaitHealth(one.url(), "up");
            awaitHealth(two.url(), "up");
            String a = "cluster-edit-a";
            String b = "cluster-edit-b";
            try (JavaClient aOnOne = JavaClient.connected(one.url(), one.token(a), WS);
                 JavaClient aOnTwo = JavaClient.connected(two.url(), two.token(a), WS);
                 JavaClient bOnTwo = JavaClient.connected(two.url(), two.token(b), WS)) {
                JSONObject ack = aOnOne.emitWithAck("packet", packet("edit-1", VIDEO, "tpyo", 3, "gone soon", 4, "the control", 5))
                        .get(5, TimeUnit.SECONDS);
                assertEquals("stored", ack.getString("status"), ack.toString());
                var notes = NotesApi.notes(one.url(), one.token(a), VIDEO);
                String first = notes.getJSONObject(0).getString("id");
                String second = notes.getJSONObject(1).getString("id");
                String third = notes.getJSONObject(2).getString("id");

                assertEquals(200, NotesApi.edit(one.url(), one.token(a), first, "typo").statusCode());
                assertEquals(204, NotesApi.delete(one.url(), one.token(a), second).statusCode());
                for (JavaClient socket : List.of(aOnOne, aOnTwo)) {
                    JSONObject updated = socket.nextObject("noteUpdated");
                    assertEquals("vimeo:22439234", updated.getString("videoKey"));
                    assertEquals("typo", updated.getJSONObject("note").getString("text"));
                    JSONObject deleted = socket.nextObject("noteDeleted");
                    assertEquals(second, deleted.getString("id"));
                }
                // The control: another edit and delete travel the same way; they are the next events
                // each socket gets, so a second copy of the first ones would have come before them.
                assertEquals(200, NotesApi.edit(one.url(), one.token(a), first, "typo, fixed").statusCode());
                assertEquals(204, NotesApi.delete(one.url(), one.token(a), third).statusCode());
                for (JavaClient socket : List.of(aOnOne, aOnTwo)) {
                    assertEquals("typo, fixed", socket.nextObject("noteUpdated").getJSONObject("note").getString("text"),
                            "noteUpdated came twice");
                    assertEquals(third, socket.nextObject("noteDeleted").getString("id"), "noteDeleted came twice");
                }
                assertFalse(bOnTwo.receives("noteUpdated", 0), "user B got user A's noteUpdated");
                assertFalse(bOnTwo.receives("noteDeleted", 0), "user B got user A's noteDeleted");
                assertEquals(List.of("typo, fixed"), NotesApi.texts(two.url(), two.token(a), VIDEO));
            }
        }
    }

    @Test
    void logOutEverywhereOnOneNodeEndsTheUsersSocketsOnEveryNodeWithin2sEvenWithRedisDown() throws Exception {
        try (TestServer one = TestServer.start(node(Map.of("auth.passwordHashCost", "4")));
             TestServer two = TestServer.start(node(Map.of()))) {
            String user = "cluster-revoked";
            one.addUser(user, "cluster-revoked-password");
            AccountApi.Session session = AccountApi.login(one.url(), user, "cluster-revoked-password");
            Instant loggedIn = Instant.now();
            try (JavaClient onOne = JavaClient.connected(one.url(), session.accessToken(), WS);
                 JavaClient onTwo = JavaClient.connected(two.url(), two.token(user), WS);
                 JavaClient otherUser = JavaClient.connected(two.url(), two.token("cluster-bystander"), WS)) {
                AccountApi.awaitNextSecond(loggedIn);
                redis.down();
                try {
                    assertEquals(204, AccountApi.logoutAll(one.url(), session).statusCode());
                    for (JavaClient socket : List.of(onOne, onTwo)) {
                        Object revoked = socket.queue("invalidToken").poll(2, TimeUnit.SECONDS);
                        assertNotNull(revoked, "no invalidToken within 2 s; " + socket.state());
                        assertEquals("revoked", ((JSONObject) revoked).getString("reason"));
                        assertEquals("io server disconnect", socket.next(io.socket.client.Socket.EVENT_DISCONNECT));
                    }
                    assertTrue(otherUser.connected(), "another user's socket stays");
                    try (JavaClient fresh = JavaClient.connected(two.url(), two.token(user), WS)) {
                        assertTrue(fresh.connected(), "a token issued after the revocation connects");
                    }
                } finally {
                    redis.up();
                }
            }
        }
    }

    @Test
    void threeNodesFiftyUsersEveryOtherSocketGetsEveryPacketOnce() throws Exception {
        int users = 50;
        int perSocket = 2;
        List<TestServer> nodes = new ArrayList<>();
        List<JavaClient> clients = new ArrayList<>();
        try {
            for (int n = 0; n < 3; n++) {
                nodes.add(TestServer.start(node(Map.of())));
            }
            for (TestServer node : nodes) {
                awaitHealth(node.url(), "up");
            }
            // socket (user u, node n) is clients[u * 3 + n]
            // Five users (15 sockets) connect at a time, so one slow handshake fails fast and named.
            for (int u = 0; u < users; u++) {
                for (TestServer node : nodes) {
                    clients.add(JavaClient.open(node.url(), node.token("fifty-" + u), WS));
                }
                if (u % 5 == 4) {
                    for (JavaClient client : clients.subList(clients.size() - 15, clients.size())) {
                        client.next(io.socket.client.Socket.EVENT_CONNECT);
                    }
                }
            }
            List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
            for (int k = 0; k < perSocket; k++) {
                for (int i = 0; i < clients.size(); i++) {
                    String id = "fifty-" + (i / 3) + "-n" + (i % 3) + "-" + k;
                    acks.add(clients.get(i).emitWithAck("packet", packet(id, VIDEO, "note " + id, k)));
                }
            }
            for (CompletableFuture<JSONObject> ack : acks) {
                JSONObject answer = ack.get(20, TimeUnit.SECONDS);
                assertEquals("stored", answer.optString("status"), answer.toString());
            }

            int expected = 2 * perSocket;
            // A deadline, not a pause: a loaded machine (repeat.sh --hog) missed one delivery at 20 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (JavaClient client : clients) {
                while (client.queue("fPacket").size() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            Thread.sleep(500); // room for any extra delivery to show up
            int total = 0;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                String user = "fifty-" + (i / 3);
                Set<String> want = new HashSet<>();
                for (int n = 0; n < 3; n++) {
                    for (int k = 0; k < perSocket && n != i % 3; k++) {
                        want.add(user + "-n" + n + "-" + k);
                    }
                }
                List<String> got = new ArrayList<>();
                for (Object forwarded : clients.get(i).queue("fPacket")) {
                    got.add(((JSONObject) forwarded).getString("packetId"));
                }
                total += got.size();
                if (got.size() != expected || !want.equals(new HashSet<>(got))) {
                    wrong.add(user + " on node " + (i % 3) + " got " + got);
                }
            }
            assertEquals(List.of(), wrong, "sockets that did not get every other socket's packets exactly once");
            System.out.printf("3 nodes, %d users, %d sockets, %d packets: %d fPackets, each once%n",
                    users, clients.size(), acks.size(), total);
        } finally {
            clients.forEach(JavaClient::close);
            nodes.forEach(TestServer::close);
        }
    }

    @Test
    void nodeDeathDuringTrafficStoresEveryPacketOnce() throws Exception {
        Map<String, String> fast = Map.of("limits.packetsPerSecond", "1000", "limits.packetBurst", "1000");
        int users = 6;
        int perUser = 40;
        try (ServerProcess doomed = new ServerProcess(TestServer.temporaryDataDir(), node(fast)).start();
             ServerProcess survivor = new ServerProcess(TestServer.temporaryDataDir(), node(fast)).start();
             // The load balancer: WebSocket-only clients, one connection each, so no stickiness needed.
             TcpProxy balancer = new TcpProxy(List.of(new InetSocketAddress("127.0.0.1", doomed.port()),
                     new InetSocketAddress("127.0.0.1", survivor.port())))) {
            awaitHealth(doomed.url(), "up");
            awaitHealth(survivor.url(), "up");
            String url = "http://127.0.0.1:" + balancer.port();
            List<OutboxClient> outboxes = new ArrayList<>();
            List<JavaClient> observers = new ArrayList<>();
            try {
                for (int u = 0; u < users; u++) {
                    outboxes.add(new OutboxClient(url, survivor.token("death-" + u), 500));
                    observers.add(JavaClient.connected(survivor.url(), survivor.token("death-" + u), WS));
                }
                for (int k = 0; k < perUser; k++) {
                    for (int u = 0; u < users; u++) {
                        String id = "death-" + u + "-" + k;
                        outboxes.get(u).add(id, packet(id, VIDEO, "note " + id, k));
                    }
                    if (k == perUser / 2) {
                        doomed.kill();
                    }
                    Thread.sleep(10);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (outboxes.stream().anyMatch(o -> !o.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                for (OutboxClient outbox : outboxes) {
                    assertTrue(outbox.isEmpty(), outbox.pending() + " packets never confirmed");
                    assertTrue(outbox.dropped().isEmpty(), "dropped: " + outbox.dropped());
                }
                Thread.sleep(300);
                int forwarded = 0;
                for (int u = 0; u < users; u++) {
                    List<String> texts = NotesApi.texts(survivor.url(), survivor.token("death-" + u), VIDEO);
                    assertEquals(perUser, texts.size(), "user " + u + " stored " + texts.size());
                    assertEquals(perUser, new HashSet<>(texts).size(), "a packet of user " + u + " was stored twice");
                    // fPacket is at most once: a packet stored by the dead node and resent is a duplicate.
                    List<String> ids = new ArrayList<>();
                    for (Object f : observers.get(u).queue("fPacket")) {
                        ids.add(((JSONObject) f).getString("packetId"));
                    }
                    assertEquals(ids.size(), new HashSet<>(ids).size(), "an fPacket arrived twice: " + ids);
                    String own = "death-" + u + "-";
                    assertTrue(ids.stream().allMatch(id -> id.startsWith(own)), "cross-user: " + ids);
                    forwarded += ids.size();
                }
                System.out.printf("node death: %d users x %d packets stored once; %d fPackets seen by observers%n",
                        users, perUser, forwarded);
            } finally {
                outboxes.forEach(OutboxClient::close);
                observers.forEach(JavaClient::close);
            }
        }
    }

    @Test
    void redisRestartKeepsStoringAndConfirmingThenFanOutResumes() throws Exception {
        try (TestServer one = TestServer.start(node(Map.of())); TestServer two = TestServer.start(node(Map.of()))) {
            awaitHealth(one.url(), "up");
            awaitHealth(two.url(), "up");
            String user = "redis-restart";
            try (JavaClient sender = JavaClient.connected(one.url(), one.token(user), WS);
                 JavaClient observer = JavaClient.connected(two.url(), two.token(user), WS)) {
                send(sender, "before-", 5);
                for (int i = 0; i < 5; i++) {
                    assertTrue(observer.nextObject("fPacket").getString("packetId").startsWith("before-"));
                }

                redis.down();
                long slowest;
                TestServer late;
                try {
                    awaitHealth(one.url(), "degraded");
                    slowest = send(sender, "during-", 20);
                    // A node that starts while Redis is down starts anyway, degraded.
                    late = TestServer.start(node(Map.of()));
                    awaitHealth(late.url(), "degraded");
                } finally {
                    redis.up();
                }
                try (late; JavaClient lateObserver = JavaClient.connected(late.url(), late.token(user), WS)) {
                    assertTrue(slowest < 2000, "a confirmation took " + slowest + " ms while Redis was down");
                    for (TestServer node : List.of(one, two, late)) {
                        awaitHealth(node.url(), "up");
                    }
                    observer.queue("fPacket").clear();
                    send(sender, "after-", 5);
                    Set<String> expected = Set.of("after-0", "after-1", "after-2", "after-3", "after-4");
                    for (JavaClient receiver : List.of(observer, lateObserver)) {
                        Set<String> after = new HashSet<>();
                        for (int i = 0; i < 5; i++) {
                            after.add(receiver.nextObject("fPacket").getString("packetId"));
                        }
                        assertEquals(expected, after);
                    }
                    assertEquals(30, NotesApi.texts(two.url(), two.token(user), VIDEO).size());
                    System.out.printf("redis restart: 20 packets confirmed during the outage, slowest %d ms%n", slowest);
                }
            }
        }
    }

    /** Sends {@code count} packets one after another; each must be stored; returns the slowest answer in ms. */
    private static long send(JavaClient sender, String prefix, int count) throws Exception {
        long slowest = 0;
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            JSONObject ack = sender.emitWithAck("packet", packet(prefix + i, VIDEO, "note " + prefix + i, i))
                    .get(5, TimeUnit.SECONDS);
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertEquals("stored", ack.getString("status"), ack.toString());
        }
        return slowest;
    }

    /** Waits until {@code GET /health} answers 200 with {@code "cluster": state}. */
    private static void awaitHealth(String url, String state) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            last = health.statusCode() + " " + health.body();
            if (health.statusCode() == 200 && state.equals(new JSONObject(health.body()).optString("cluster"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("cluster never became " + state + " at " + url + "; last /health: " + last);
    }
}
