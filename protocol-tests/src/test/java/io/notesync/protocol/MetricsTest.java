package io.notesync.protocol;

import io.socket.engineio.client.transports.WebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /metrics speaks Prometheus text and counts what happened, to the holder of metrics.token only. */
class MetricsTest {

    private static final String TOKEN = "metrics-test-token-0123456789abcdef";

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenConfiguredMetricsAreOff() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String authorization : new String[] {null, "Bearer ", "Bearer anything"}) {
                HttpResponse<String> response = get(server.url(), authorization);
                assertEquals(404, response.statusCode());
                assertTrue(response.body().contains("\"metricsDisabled\""), response.body());
                assertFalse(response.body().contains("jvm_"), response.body());
            }
        }
    }

    @Test
    void aMissingOrWrongTokenIsRefused() throws Exception {
        try (TestServer server = TestServer.start(Map.of("metrics.token", TOKEN))) {
            for (String authorization : new String[] {null, "Bearer", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                    "Basic " + TOKEN, TOKEN}) {
                HttpResponse<String> response = get(server.url(), authorization);
                assertEquals(401, response.statusCode(), String.valueOf(authorization));
                assertTrue(response.body().contains("\"metricsTokenRequired\""), response.body());
            }
        }
    }

    @Test
    void metricsCountPacketsByOutcomeConnectionsByTransportStoreLatencyAndTheJvm() throws Exception {
        try (TestServer server = TestServer.start(Map.of("metrics.token", TOKEN));
             JavaClient client = JavaClient.connected(server.url(), server.token("metrics-user"), WebSocket.NAME)) {
            client.emitWithAck("packet", packet("m1", "https://vimeo.com/1", "a", 1)).get(5, TimeUnit.SECONDS);
            client.emitWithAck("packet", packet("m1", "https://vimeo.com/1", "a", 1)).get(5, TimeUnit.SECONDS);
            client.emitWithAck("packet", packet("m2", "ftp://nope", "a", 1)).get(5, TimeUnit.SECONDS);

            HttpResponse<String> response = get(server.url(), "Bearer " + TOKEN);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            String text = response.body();
            assertEquals(1.0, value(text, "notesync_packets_total\\{outcome=\"stored\"}"));
            assertEquals(1.0, value(text, "notesync_packets_total\\{outcome=\"duplicate\"}"));
            assertEquals(1.0, value(text, "notesync_packets_total\\{outcome=\"invalid\"}"));
            assertEquals(1.0, value(text, "notesync_connections\\{transport=\"websocket\"}"));
            assertEquals(2.0, value(text, "notesync_store_latency_seconds_count"));
            assertTrue(text.contains("notesync_store_latency_seconds_bucket{le="), "latency histogram");
            assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics");
        }
    }

    private static double value(String text, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
        assertTrue(matcher.find(), "no " + series + " in\n" + text);
        return Double.parseDouble(matcher.group(1));
    }
}
