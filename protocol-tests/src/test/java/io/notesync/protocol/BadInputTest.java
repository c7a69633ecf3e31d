package io.notesync.protocol;

import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of generated malformed packets and raw frames, over WebSocket and polling, while
 * another user works normally: every packet gets exactly one answer, the server stays up, the
 * other user's notes are stored, and the heap stays bounded.
 */
class BadInputTest {

    private static final int PACKETS_PER_TRANSPORT = 1500;
    private static final String VIDEO = "https://www.youtube.com/watch?v=jNQXAC9IVRw";

    @Test
    void malformedInputIsAnsweredOrIgnoredAndHarmsNoOne() throws Exception {
        // No rate limit in the way: every malformed packet must reach the parser, not be refused before it.
        try (TestServer server = TestServer.start(Map.of("limits.packetsPerSecond", "1000000", "limits.packetBurst", "1000000"))) {
            long heapBefore = usedHeapAfterGc();
            String token = server.token("mallory");
            Random random = new Random(42);

            OutboxClient alice = new OutboxClient(server.url(), server.token("alice-good"), 300);
            int aliceSent = 0;
            try {
                for (String transport : new String[] {WebSocket.NAME, Polling.NAME}) {
                    try (JavaClient mallory = JavaClient.connected(server.url(), token, transport)) {
                        List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
                        for (int i = 0; i < PACKETS_PER_TRANSPORT; i++) {
                            acks.add(mallory.emitWithAck("packet", malformed(random, i, transport.equals(WebSocket.NAME))));
                            if (i % 50 == 0) {
                                String id = "alice-" + aliceSent++;
                                alice.add(id, packet(id, VIDEO, "good note " + id, aliceSent));
                            }
                        }
                        for (int i = 0; i < acks.size(); i++) {
                            JSONObject answer = answerOf(acks.get(i), i, mallory, transport);
                            assertRefusedAsMalformed(answer, i, transport);
                        }
                        // Exactly one event per packet too (the ack and the event carry the same answer):
                        // wait for them with a deadline, then a quiet moment for any extra one.
                        long eventsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JavaClient.WAIT_SECONDS);
                        while (answerEvents(mallory) < PACKETS_PER_TRANSPORT && System.nanoTime() < eventsDeadline) {
                            Thread.sleep(20);
                        }
                        Thread.sleep(300);
                        assertEquals(PACKETS_PER_TRANSPORT, answerEvents(mallory), "answers over " + transport);
                    }
                }
                int rawFrames = sendRawGarbage(server, token);

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!alice.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(alice.isEmpty(), "the good user's packets were not all confirmed");
                assertEquals(aliceSent, NotesApi.texts(server.url(), server.token("alice-good"), VIDEO).size());
                HttpResponse<String> malloryVideos = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/videos")).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, malloryVideos.statusCode(), malloryVideos.body());
                assertEquals(0, new JSONObject(malloryVideos.body()).getJSONArray("videos").length(),
                        "nothing of the malformed packets was stored: " + malloryVideos.body());
                assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());

                long heapAfter = usedHeapAfterGc();
                System.out.printf("bad input test: %d malformed packets, %d raw frames; heap %d MiB before, %d MiB after%n",
                        2 * PACKETS_PER_TRANSPORT, rawFrames, heapBefore >> 20, heapAfter >> 20);
                assertTrue(heapAfter - heapBefore < 128L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
            } finally {
                alice.close();
            }
        }
    }

    /** A packet-shaped payload with one or more things wrong, or no packet shape at all. */
    /**
     * @param binary whether a binary attachment may be sent: only over WebSocket, because
     *     netty-socketio 2.0.14 mis-assembles a binary attachment batched with other packets in
     *     one polling payload (it takes the next packet as the attachment), losing the packets
     *     around it; the client's own packets only, never another user's.
     */
    private static Object malformed(Random random, int i, boolean binary) throws org.json.JSONException {
        String id = "bad-" + i;
        JSONObject base = packet(id, VIDEO, "text " + i, i);
        // No byte[] inside objects: socket.io-client-java writes those as invalid JSON (raw control
        // characters), which is the client's bug; binary attachments are sent as the whole argument.
        Object[] junk = {null, 42, -1.5, "", "x".repeat(200), true, new JSONArray(), new JSONObject(),
                new JSONArray().put(new JSONArray().put(new JSONArray()))};
        switch (random.nextInt(9)) {
            case 0:
                return binary && random.nextInt(4) == 0 ? new byte[] {1, 2, 3} : junk[random.nextInt(junk.length)];
            case 1:
                base.remove(random.nextBoolean() ? "packetId" : "videoUrl");
                return base;
            case 2:
                base.put("packetId", junk[random.nextInt(junk.length)]);
                return base;
            case 3:
                base.put("videoUrl", junk[random.nextInt(junk.length)]);
                return base;
            case 4:
                base.put("notes", junk[random.nextInt(junk.length)]);
                return base;
            case 5: {
                JSONArray notes = new JSONArray();
                for (int n = 0; n < 101 + random.nextInt(400); n++) {
                    notes.put(new JSONObject().put("text", "n").put("timestamp", n));
                }
                return base.put("notes", notes);
            }
            case 6: {
                // Any text, and a timestamp that is never a number, so the note is never valid.
                Object[] notNumbers = {null, "", "x".repeat(200), true, new JSONArray(), new JSONObject()};
                JSONObject note = new JSONObject().put("text", junk[random.nextInt(junk.length)])
                        .put("timestamp", notNumbers[random.nextInt(notNumbers.length)]);
                return base.put("notes", new JSONArray().put(note));
            }
            case 7: {
                // Never null or empty: JSONObject drops a null, and an absent token leaves a valid packet.
                Object[] badTokens = {42, -1.5, "x".repeat(200), true, new JSONArray(), new JSONObject(), "a.b.c"};
                return base.put("accessToken", badTokens[random.nextInt(badTokens.length)]);
            }
            default: {
                JSONObject nested = new JSONObject();
                JSONObject cursor = nested;
                for (int depth = 0; depth < 50; depth++) {
                    JSONObject next = new JSONObject();
                    cursor.put("deeper", next);
                    cursor = next;
                }
                return base.put("notes", new JSONArray().put(nested));
            }
        }
    }

    /** Frames no well-behaved client sends, over a raw WebSocket and raw polling requests. */
    private static int sendRawGarbage(TestServer server, String token) throws Exception {
        String[] texts = {"42[", "4abc", "42[\"packet\",{]", "42[\"packet\"]", "42[\"packet\",\"str\"]",
                "42[\"unknownEvent\",{}]", "451-[\"packet\",{\"_placeholder\":true,\"num\":0}]", "9", "", "40/nope,",
                "42[\"packet\",{\"packetId\":\"raw\",\"videoUrl\":\"https://x.org\",\"notes\":[{\"text\":\"a\",\"timestamp\":1e400}]}]"};
        byte[] invalidUtf8 = {'4', '2', '[', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', ']'};
        int frames = 0;
        for (int round = 0; round < 20; round++) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "/socket.io/?EIO=4&transport=websocket")) {
                ws.receiveText(); // Engine.IO open packet
                ws.sendText("40" + new JSONObject().put("token", token));
                for (String text : texts) {
                    ws.sendText(text);
                    frames++;
                }
                ws.sendFrame(0x1, invalidUtf8);
                ws.sendFrame(0x2, new byte[] {0, 1, 2, (byte) 0xFF});
                frames += 2;
            } catch (java.io.IOException e) {
                // the server may close a connection that sent garbage: that is allowed
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        for (int round = 0; round < 20; round++) {
            String open = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/socket.io/?EIO=4&transport=polling")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String sid = new JSONObject(open.substring(1)).getString("sid");
            URI session = URI.create(server.url() + "/socket.io/?EIO=4&transport=polling&sid=" + sid);
            for (String body : new String[] {"40" + new JSONObject().put("token", token) + "\u001e42[\u001e4abc", "\u001e\u001e", "42[\"packet\",{]"}) {
                try {
                    http.send(HttpRequest.newBuilder(session).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (java.io.IOException e) {
                    // the server may close a connection that sent garbage: that is allowed
                }
                frames++;
            }
        }
        return frames;
    }

    /**
     * Every generated packet is malformed, so its answer is a refusal that says so: packetError
     * invalidPacket or tooLarge, or invalidToken for a bad accessToken; never a confirmation, and
     * never a retryable or internal error.
     */
    private static void assertRefusedAsMalformed(JSONObject answer, int i, String transport) throws org.json.JSONException {
        String where = "packet " + i + " over " + transport + ": " + answer;
        assertFalse(answer.getBoolean("ok"), where);
        JSONObject error = answer.getJSONObject("error");
        if (error.has("code")) {
            assertTrue(Set.of("invalidPacket", "tooLarge").contains(error.getString("code")), where);
        } else {
            assertTrue(Set.of("malformed", "invalid").contains(error.getString("reason")), where);
        }
    }

    /** The ack of packet {@code i}; on a timeout, fails with what the socket saw (its disconnect reason). */
    private static JSONObject answerOf(CompletableFuture<JSONObject> ack, int i, JavaClient client, String transport)
            throws Exception {
        try {
            return ack.get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer to packet " + i + " over " + transport + " within " + JavaClient.WAIT_SECONDS
                    + " s; " + client.state(), e);
        }
    }

    private static int answerEvents(JavaClient client) {
        return client.queue("confirmation").size() + client.queue("packetError").size() + client.queue("invalidToken").size();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
