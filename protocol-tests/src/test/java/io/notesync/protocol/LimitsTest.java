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
            for (int i = 0; i < 3; i++) {
                assertTrue(client.emitWithAck("packet", packet("refill-" + i, VIDEO, "n", i)).get(5, TimeUnit.SECONDS).getBoolean("ok"));
            }
            assertFalse(client.emitWithAck("packet", packet("refill-3", VIDEO, "n", 3)).get(5, TimeUnit.SECONDS).getBoolean("ok"));
            Thread.sleep(600);
            assertTrue(client.emitWithAck("packet", packet("refill-3", VIDEO, "n", 3)).get(5, TimeUnit.SECONDS).getBoolean("ok"));
        }
    }

    @Test
    void oneUsersRateDoesNotLimitAnother() throws Exception {
        try (JavaClient busy = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME);
             JavaClient calm = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            for (int i = 0; i < 6; i++) {
                busy.emit("packet", packet("busy-" + i, VIDEO, "n", i));
            }
            assertTrue(calm.emitWithAck("packet", packet("calm", VIDEO, "n", 1)).get(5, TimeUnit.SECONDS).getBoolean("ok"));
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
            JavaClient.connected(server.url(), server.token(bob), WebSocket.NAME).close();
            // The server frees the place when it has seen the close: retried until then, with a deadline.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (JavaClient again = JavaClient.connected(server.url(), server.token(bob), WebSocket.NAME)) {
                    assertTrue(again.connected());
                    break;
                } catch (AssertionError refused) {
                    if (System.nanoTime() > deadline) {
                        throw refused;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
