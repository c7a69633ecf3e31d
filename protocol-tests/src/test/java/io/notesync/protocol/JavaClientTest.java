package io.notesync.protocol;

import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core flows of docs/protocol.md with socket.io-client-java, the Java harness. */
class JavaClientTest {

    private static final String VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String user() {
        return "java-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String packetId() {
        return "p-" + UUID.randomUUID();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {WebSocket.NAME, Polling.NAME})
    void aValidTokenConnectsAndItsPacketIsConfirmed(String transport) throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), transport)) {
            String id = packetId();
            client.emit("packet", packet(id, VIDEO, "  the chorus  ", 42.5));
            JSONObject confirmation = client.nextObject("confirmation");
            assertTrue(confirmation.getBoolean("ok"));
            assertEquals(id, confirmation.getString("packetId"));
            assertEquals("stored", confirmation.getString("status"));
            assertEquals(1, confirmation.getInt("stored"));
            assertEquals("youtube:dQw4w9WgXcQ", confirmation.getString("videoKey"));
        }
    }

    @Test
    void theAckCallbackGetsTheConfirmation() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            String id = packetId();
            JSONObject ack = client.emitWithAck("packet", packet(id, VIDEO, "note", 1)).get(5, TimeUnit.SECONDS);
            assertTrue(ack.getBoolean("ok"));
            assertEquals(id, ack.getString("packetId"));
            assertEquals("stored", ack.getString("status"));
        }
    }

    @Test
    void aMissingTokenGetsInvalidTokenThenAServerDisconnect() throws Exception {
        try (JavaClient client = JavaClient.open(server.url(), null, WebSocket.NAME)) {
            assertEquals("missing", client.nextObject("invalidToken").getString("reason"));
            assertEquals("io server disconnect", client.next(Socket.EVENT_DISCONNECT));
        }
    }

    @Test
    void anExpiredTokenGetsInvalidTokenExpired() throws Exception {
        String expired = server.token(user(), Duration.ofSeconds(-10));
        try (JavaClient client = JavaClient.open(server.url(), expired, WebSocket.NAME)) {
            assertEquals("expired", client.nextObject("invalidToken").getString("reason"));
            assertEquals("io server disconnect", client.next(Socket.EVENT_DISCONNECT));
        }
    }

    @Test
    void fPacketReachesTheUsersOtherSocketsButNotTheSenderNorOtherUsers() throws Exception {
        String alice = user();
        try (JavaClient sender = JavaClient.connected(server.url(), server.token(alice), WebSocket.NAME);
             JavaClient otherTab = JavaClient.connected(server.url(), server.token(alice), Polling.NAME);
             JavaClient bob = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            String id = packetId();
            sender.emit("packet", packet(id, VIDEO, " live ", 3));
            JSONObject forwarded = otherTab.nextObject("fPacket");
            assertEquals(id, forwarded.getString("packetId"));
            assertEquals("youtube:dQw4w9WgXcQ", forwarded.getString("videoKey"));
            assertEquals("https://www.youtube.com/watch?v=dQw4w9WgXcQ", forwarded.getString("videoUrl"));
            JSONObject note = forwarded.getJSONArray("notes").getJSONObject(0);
            assertEquals("live", note.getString("text"));
            assertEquals(3.0, note.getDouble("timestamp"));
            assertFalse(note.getString("id").isEmpty());
            assertTrue(note.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            sender.next("confirmation");
            assertFalse(sender.receives("fPacket", 300), "the sender got its own fPacket");
            assertFalse(bob.receives("fPacket", 300), "another user got the fPacket");
        }
    }

    @Test
    void aResentPacketIsConfirmedAsDuplicateAndNotForwardedAgain() throws Exception {
        String alice = user();
        try (JavaClient sender = JavaClient.connected(server.url(), server.token(alice), WebSocket.NAME);
             JavaClient otherTab = JavaClient.connected(server.url(), server.token(alice), WebSocket.NAME)) {
            String id = packetId();
            sender.emit("packet", packet(id, VIDEO, "once", 1));
            assertEquals("stored", sender.nextObject("confirmation").getString("status"));
            otherTab.next("fPacket");
            sender.emit("packet", packet(id, VIDEO, "once", 1));
            JSONObject again = sender.nextObject("confirmation");
            assertEquals("duplicate", again.getString("status"));
            assertEquals(0, again.getInt("stored"));
            assertFalse(otherTab.receives("fPacket", 300), "a duplicate was forwarded");
        }
    }

    @Test
    void answersComeInTheOrderPacketsWereSent() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            List<String> sent = new ArrayList<>();
            List<String> answered = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "order-" + i + "-" + UUID.randomUUID();
                sent.add(id);
                // Every third packet is invalid: its immediate answer must still wait its turn.
                String video = i % 3 == 0 ? "javascript:alert(1)" : VIDEO;
                acks.add(client.emitWithAck("packet", packet(id, video, "n" + i, i))
                        .thenApply(ack -> {
                            answered.add(JavaClient.packetIdOfAck(ack));
                            return ack;
                        }));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertEquals(sent, answered);
        }
    }

    @Test
    void aBadPacketGetsPacketErrorNamingTheField() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token(user()), WebSocket.NAME)) {
            String id = packetId();
            client.emit("packet", packet(id, VIDEO, "fine", 1, "bad", -5));
            JSONObject error = client.nextObject("packetError");
            assertEquals(id, error.getString("packetId"));
            assertEquals("invalidPacket", error.getString("code"));
            assertEquals("notes[1].timestamp", error.getString("field"));
            assertFalse(error.getBoolean("retryable"));
        }
    }
}
