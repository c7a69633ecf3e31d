package io.notesync.protocol;

import io.notesync.store.EmbeddedMongo;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database that answers, but slowly: each query within mongodb.timeoutMs, a request's queries
 * together far beyond it. The request is answered 503 storageUnavailable by the deadline, on its
 * connection, never left to a closed connection; once the database is quick again, the same
 * request is answered 200.
 */
class SlowStoreTest {

    private static final long TIMEOUT_MS = 1500;
    /** Each chunk held this long each way: a query takes about twice this, under the timeout. */
    private static final long DELAY_MS = 400;

    @Test
    void aRequestOnASlowStoreIsAnsweredStorageUnavailableByTheDeadline() throws Exception {
        Path dbDir = TestServer.temporaryDataDir();
        EmbeddedMongo database = EmbeddedMongo.start(dbDir, 0);
        URI target = URI.create(database.connectionString());
        try (TcpProxy proxy = new TcpProxy(new InetSocketAddress(target.getHost(), target.getPort()));
             TestServer server = TestServer.start(Map.of(
                     "mongodb.uri", "mongodb://127.0.0.1:" + proxy.port() + "/?directConnection=true",
                     "mongodb.timeoutMs", Long.toString(TIMEOUT_MS)))) {
            String token = server.token("slow-user");
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest videos = HttpRequest.newBuilder(URI.create(server.url() + "/api/videos"))
                    .header("Authorization", "Bearer " + token).build();
            // Positive control: a quick database answers.
            assertEquals(200, http.send(videos, HttpResponse.BodyHandlers.ofString()).statusCode());

            proxy.delay(DELAY_MS);
            long started = System.nanoTime();
            HttpResponse<String> slow = http.send(videos, HttpResponse.BodyHandlers.ofString());
            long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(503, slow.statusCode(), slow.body());
            assertEquals("storageUnavailable", new JSONObject(slow.body()).getJSONObject("error").getString("code"));
            System.out.printf("slow store: 503 after %d ms (timeoutMs %d)%n", answeredMs, TIMEOUT_MS);

            proxy.delay(0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int status = 0;
            while (System.nanoTime() < deadline && status != 200) {
                status = http.send(videos, HttpResponse.BodyHandlers.ofString()).statusCode();
            }
            assertEquals(200, status, "quick again, the same request is answered");
        } finally {
            database.close();
        }
    }
}
