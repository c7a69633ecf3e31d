package io.notesync.protocol;

import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-user limits: the packet rate (token bucket) and the number of open sockets. */
class LimitsTest {

    private static final String VIDEO = "https://vimeo.com/123456789";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "limits.packetsPerSecond", "2",
                "limits.packetBurst", "3",
                "limits.maxConnectionsPerUser", "2"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String user() {
        return "limits-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTimestampOverLimitsMaxTimestampSecondsIsAnInvalidPacketNamingTheNote() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            JSONObject ack = client.emitWithAck("packet", packet("huge-time", VIDEO, "ok", 1, "far", 1e308))
                    .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
            JSONObject error = ack.getJSONObject("error");
            assertEquals("invalidPacket", error.getString("code"), ack.toString());
            assertEquals("notes[1].timestamp", error.getString("field"), ack.toString());
            JSONObject week = client.emitWithAck("packet", packet("a-week", VIDEO, "ok", 604_800))
                    .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(week.getBoolean("ok"), "a week is still a position: " + week);
        }
    }

    @Test
    void packetsOverTheUsersRateGetRateLimitedAsRetryable() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                acks.add(client.emitWithAck("packet", packet("rate-" + i, VIDEO, "n" + i, i)));
            }
            int confirmed = 0;
            int limited = 0;
            for (CompletableFuture<JSONObject> ack : acks) {
                JSONObject answer = ack.get(5, TimeUnit.SECONDS);
                if (answer.getBoolean("ok")) {
                    confirmed++;
                } else {
                    JSONObject error = answer.getJSONObject("error");
                    assertEquals("rateLimited", error.getString("code"));
                    assertTrue(error.getBoolean("retryable"));
                    limited++;
                }
            }
            assertEquals(3, confirmed, "the burst");
            assertEquals(3, limited);
        }
    }

    @Test
    void theRateRefillsOverTime() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            // Sent together: one after another, three acks on a loaded machine took longer than the
            // half second that refills a token, and the fourth was let through.
            List<CompletableFuture<JSONObject>> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                burst.add(client.emitWithAck("packet", packet("refill-" + i, VIDEO, "n", i)));
            }
            for (int i = 0; i < 3; i++) {
                assertTrue(burst.get(i).get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS).getBoolean("ok"), "the burst");
            }
            JSONObject over = burst.get(3).get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("rateLimited", over.getJSONObject("error").getString("code"), over.toString());
            // One token comes back every 500 ms (2 per second); waiting longer only adds tokens.
            Thread.sleep(600);
            assertTrue(client.emitWithAck("packet", packet("refill-3", VIDEO, "n", 3)).get(5, TimeUnit.SECONDS).getBoolean("ok"));
        }
    }

    @Test
    void oneUsersRateDoesNotLimitAnother() throws Exception {
        try (JavaClient busy = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME);
             JavaClient calm = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                acks.add(busy.emitWithAck("packet", packet("busy-" + i, VIDEO, "n", i)));
            }
            int limited = 0;
            for (CompletableFuture<JSONObject> ack : acks) {
                JSONObject answer = ack.get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
                if (!answer.getBoolean("ok") && "rateLimited".equals(answer.getJSONObject("error").getString("code"))) {
                    limited++;
                }
            }
            assertEquals(3, limited, "the busy user is over its rate (a burst of 3) when the calm one sends");
            // The calm user's whole burst, at once: none of it may be refused for the busy user's rate.
            List<CompletableFuture<JSONObject>> calmAcks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calmAcks.add(calm.emitWithAck("packet", packet("calm-" + i, VIDEO, "n", i)));
            }
            for (CompletableFuture<JSONObject> ack : calmAcks) {
                JSONObject answer = ack.get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(answer.getBoolean("ok"), "the calm user's packet: " + answer);
            }
        }
    }

    @Test
    void aSocketOverTheUsersConnectionLimitIsRefusedAsRetryable() throws Exception {
        String alice = user();
        try (JavaClient first = JavaClient.connected(server.url(), server.token(alice), WebSocket.NAME);
             JavaClient second = JavaClient.connected(server.url(), server.token(alice), WebSocket.NAME);
             JavaClient third = JavaClient.open(server.url(), server.token(alice), WebSocket.NAME)) {
            JSONObject refused = third.nextObject("connectionRefused");
            assertEquals("tooManyConnections", refused.getString("code"));
            assertTrue(refused.getBoolean("retryable"));
            assertEquals("io server disconnect", third.next(Socket.EVENT_DISCONNECT));
            assertTrue(first.connected() && second.connected());
        }
    }

    @Test
    void aClosedSocketFreesItsPlace() throws Exception {
        String bob = user();
        try (JavaClient first = JavaClient.connected(server.url(), server.token(bob), WebSocket.NAME)) {
            JavaClient second = JavaClient.connected(server.url(), server.token(bob), WebSocket.NAME);
            // The control: with two sockets open, bob has no place left.
            assertFalse(admitted(bob, 0), "a third socket of bob is refused while two are open");
            second.close();
            // The server frees the place when it has seen the close: retried until then, with a deadline.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JavaClient.WAIT_SECONDS);
            int attempt = 1;
            while (!admitted(bob, attempt++)) {
                assertTrue(System.nanoTime() < deadline, "bob's closed socket never freed its place");
                Thread.sleep(100);
            }
        }
    }

    /**
     * Whether a new socket of {@code user} is admitted, which {@code connected()} cannot tell (the
     * server accepts the CONNECT, then sends connectionRefused): admitted when its packet is
     * confirmed, refused when connectionRefused comes first.
     */
    private static boolean admitted(String user, int attempt) throws Exception {
        try (JavaClient socket = JavaClient.connected(server.url(), server.token(user), WebSocket.NAME)) {
            CompletableFuture<JSONObject> ack = socket.emitWithAck("packet", packet("place-" + attempt + "-" + UUID.randomUUID(), VIDEO, "n", 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JavaClient.WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                if (!socket.queue("connectionRefused").isEmpty()) {
                    return false;
                }
                if (ack.isDone()) {
                    return ack.get().getBoolean("ok");
                }
                Thread.sleep(10);
            }
            throw new AssertionError("neither a confirmation nor connectionRefused within " + JavaClient.WAIT_SECONDS + " s: " + socket.state());
        }
    }
}
