package io.notesync.protocol;

import io.socket.engineio.client.transports.Polling;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A long-polling client that has many answers queued gets every one of them: netty-socketio
 * 2.0.14 dropped one packet each time a poll response hit its 50-packet limit.
 */
class PollingDeliveryTest {

    @Test
    void everyAnswerReachesAPollingClientWhenMoreThanFiftyAreQueued() throws Exception {
        int sent = 1500;
        try (TestServer server = TestServer.start(Map.of("limits.packetsPerSecond", "100000", "limits.packetBurst", "100000"));
             JavaClient client = JavaClient.connected(server.url(), server.token("polling-user"), Polling.NAME)) {
            List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
            for (int i = 0; i < sent; i++) {
                String video = i % 2 == 0 ? "https://example.com/v" : "ftp://example.com/v";
                acks.add(client.emitWithAck("packet", packet("poll-" + i, video, "t", 1)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int events;
            do {
                events = client.queue("confirmation").size() + client.queue("packetError").size();
                Thread.sleep(50);
            } while (events < sent && System.nanoTime() < deadline);
            assertEquals(sent, events, "answer events received over polling");
        }
    }
}
