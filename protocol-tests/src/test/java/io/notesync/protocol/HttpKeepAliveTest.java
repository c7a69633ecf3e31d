package io.notesync.protocol;

import io.notesync.store.EmbeddedMongo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP connections carrying notesync's own API are closed honestly: never while a request is in
 * progress, only after they have been idle for longer than the {@code Keep-Alive: timeout=5}
 * their answers announce (as Node's HTTP server does), so a client that reuses a connection never
 * sends on one the server is closing. netty-socketio closed every such connection 5 s after it
 * opened, busy or idle.
 */
class HttpKeepAliveTest {

    private static final long ADVERTISED_MS = 5_000;

    @Test
    void aClientReusesOneConnectionForLongerThanTheIdleLimitAndEveryRequestIsAnswered() throws Exception {
        try (TestServer server = TestServer.start();
             Connection connection = new Connection(server.port())) {
            long opened = System.nanoTime();
            int answered = 0;
            // A request a second for eight seconds: the connection is never idle for long, so it stays.
            while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened) < 8_000) {
                Response response = connection.request("GET /health HTTP/1.1\r\nHost: notesync\r\n\r\n");
                assertEquals(200, response.status(), response.head());
                assertEquals("timeout=5", response.header("keep-alive"), response.head());
                answered++;
                Thread.sleep(1_000);
            }
            assertTrue(answered >= 6, "answered " + answered);
        }
    }

    @Test
    void anIdleConnectionIsClosedOnlyAfterTheAnnouncedTimeout() throws Exception {
        try (TestServer server = TestServer.start();
             Connection connection = new Connection(server.port())) {
            Response response = connection.request("GET /health HTTP/1.1\r\nHost: notesync\r\n\r\n");
            assertEquals("timeout=5", response.header("keep-alive"), response.head());
            long answered = System.nanoTime();
            assertTrue(connection.awaitClosed(30_000), "an idle connection was never closed");
            long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered);
            System.out.printf("idle connection closed %d ms after its last answer%n", closedAfterMs);
            assertTrue(closedAfterMs >= ADVERTISED_MS, "closed " + closedAfterMs + " ms after the answer, within the announced timeout");
        }
    }

    @Test
    void aRequestWaitingLongerThanFiveSecondsForTheStoreGetsItsAnswer() throws Exception {
        Path dbDir = TestServer.temporaryDataDir();
        try (EmbeddedMongo database = EmbeddedMongo.start(dbDir, 0)) {
            URI target = URI.create(database.connectionString());
            try (TcpProxy proxy = new TcpProxy(new InetSocketAddress(target.getHost(), target.getPort()))) {
                Map<String, String> settings = new HashMap<>();
                settings.put("mongodb.uri", "mongodb://127.0.0.1:" + proxy.port() + "/?directConnection=true");
                // Longer than netty-socketio's 5 s, so the store's answer (an error) comes after it.
                settings.put("mongodb.timeoutMs", "7000");
                try (TestServer server = TestServer.start(settings);
                     Connection connection = new Connection(server.port())) {
                    String token = server.token("slow-store-user");
                    String read = "GET /api/notes?videoUrl=" + URLEncoder.encode("https://example.com/lecture?id=5", StandardCharsets.UTF_8)
                            + " HTTP/1.1\r\nHost: notesync\r\nAuthorization: Bearer " + token + "\r\n\r\n";
                    assertEquals(200, connection.request(read).status());
                    proxy.cut();
                    long started = System.nanoTime();
                    Response slow = connection.request(read);
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    System.out.printf("a read with the store cut off answered %d after %d ms%n", slow.status(), tookMs);
                    assertEquals(503, slow.status(), slow.head());
                    assertTrue(tookMs > ADVERTISED_MS, "the store answered in " + tookMs + " ms; the test needs over 5 s");
                    proxy.restore();
                    assertEquals(200, connection.request(read).status(), "the same connection after the slow request");
                }
            }
        }
    }

    private record Response(int status, String head, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One HTTP/1.1 connection, used request after request as a keep-alive client does. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        Response request(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead();
            assertNotNull(head, "the connection was closed instead of answered");
            String[] lines = head.split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String length = headers.get("content-length");
            if (length != null) {
                in.readNBytes(Integer.parseInt(length));
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), head, headers);
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b == -1) {
                    return null;
                }
                head.write(b);
                matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        boolean awaitClosed(int timeoutMs) throws IOException {
            socket.setSoTimeout(timeoutMs);
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
