package io.notesync.protocol;

import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 right after confirmations: what was confirmed is there after a restart, once. */
class CrashSafetyTest {

    private static final String VIDEO = "https://vimeo.com/76979871";

    @Test
    void confirmedNotesSurviveKillDashNineAndResendsStoreNothingTwice() throws Exception {
        String user = "crash-user";
        // Unlimited rate: this test is about durability, and sends 300 packets at once.
        try (ServerProcess server = new ServerProcess(TestServer.temporaryDataDir(),
                Map.of("limits.packetsPerSecond", "100000", "limits.packetBurst", "100000")).start()) {
            String token = server.token(user);
            int sent = 300;
            Set<String> confirmed = new HashSet<>();
            try (JavaClient client = JavaClient.connected(server.url(), token, WebSocket.NAME)) {
                List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
                for (int i = 0; i < sent; i++) {
                    acks.add(client.emitWithAck("packet", packet("crash-" + i, VIDEO, "note " + i, i)));
                }
                // Kill the moment the 100th confirmation arrives, with the rest still in flight.
                while (confirmedCount(acks) < 100) {
                    Thread.sleep(1);
                }
                server.kill();
                for (CompletableFuture<JSONObject> ack : acks) {
                    if (ack.isDone() && ack.get().optBoolean("ok")) {
                        confirmed.add(ack.get().getString("packetId"));
                    }
                }
            }
            assertTrue(confirmed.size() >= 100, "confirmed before the kill: " + confirmed.size());

            server.start();
            Set<String> stored = storedTexts(server.url(), token);
            for (String packetId : confirmed) {
                assertTrue(stored.contains("note " + packetId.substring("crash-".length())),
                        "confirmed " + packetId + " is missing after kill -9");
            }

            // The outbox resends everything it still holds: the unconfirmed packets.
            int resentDuplicates = 0;
            try (JavaClient client = JavaClient.connected(server.url(), token, WebSocket.NAME)) {
                for (int i = 0; i < sent; i++) {
                    String id = "crash-" + i;
                    JSONObject ack = client.emitWithAck("packet", packet(id, VIDEO, "note " + i, i)).get(10, TimeUnit.SECONDS);
                    assertTrue(ack.getBoolean("ok"), "resend of " + id + " failed: " + ack);
                    if (confirmed.contains(id)) {
                        assertEquals("duplicate", ack.getString("status"), id + " was confirmed, then stored again");
                    }
                    if ("duplicate".equals(ack.getString("status"))) {
                        resentDuplicates++;
                    }
                }
            }
            List<String> all = storedTextList(server.url(), token);
            assertEquals(sent, all.size(), "every packet stored exactly once");
            assertEquals(sent, new HashSet<>(all).size(), "no note stored twice");
            System.out.printf("kill -9 test: %d sent, %d confirmed before the kill, %d already stored at resend, %d stored after%n",
                    sent, confirmed.size(), resentDuplicates, all.size());
        }
    }

    private static long confirmedCount(List<CompletableFuture<JSONObject>> acks) {
        return acks.stream().filter(ack -> ack.isDone() && ack.join().optBoolean("ok")).count();
    }

    private static Set<String> storedTexts(String url, String token) throws Exception {
        return new HashSet<>(storedTextList(url, token));
    }

    private static List<String> storedTextList(String url, String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/api/notes?videoUrl=" + URLEncoder.encode(VIDEO, StandardCharsets.UTF_8)))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JSONArray notes = new JSONObject(response.body()).getJSONArray("notes");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < notes.length(); i++) {
            texts.add(notes.getJSONObject(i).getString("text"));
        }
        return texts;
    }
}
