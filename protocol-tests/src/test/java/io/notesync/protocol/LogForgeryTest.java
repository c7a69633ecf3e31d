package io.notesync.protocol;

import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identities and log lines a client cannot forge: a token username with a control character (or
 * over 256 characters) is {@code invalid} wherever a token is checked, and nothing a client sends
 * (a username, a packetId, a URL) can start a line of its own in the server's log.
 */
class LogForgeryTest {

    /** The line the issue saw forged; its start must never begin a line of the log. */
    private static final String FORGED = "2026-12-07T00:00:00.000Z INFO  [main] i.n.FAKE - forged line";
    private static final String METRICS_TOKEN = "log-forgery-test-metrics-0123456789abcdef";
    private static final String USER = "logged-user";
    private static final String PASSWORD = "logged-user-password";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("metrics.token", METRICS_TOKEN, "auth.passwordHashCost", "4"));
        server.addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTokenUsernameWithALineBreakIsInvalidAtConnectAndForgesNoLine() throws Exception {
        for (String separator : List.of("\n", "\r", "\u2028", "\u0085", "\u202e")) {
            try (JavaClient client = JavaClient.open(server.url(), server.token("mallory" + separator + FORGED), WebSocket.NAME)) {
                JSONObject refused = client.nextObject("invalidToken");
                assertEquals("invalid", refused.getString("reason"), refused.toString());
            }
        }
        assertNoForgedLine();
    }

    @Test
    void aTokenUsernameOver256CharactersIsInvalid() throws Exception {
        try (JavaClient client = JavaClient.open(server.url(), server.token("a".repeat(257)), WebSocket.NAME)) {
            assertEquals("invalid", client.nextObject("invalidToken").getString("reason"));
        }
        try (JavaClient client = JavaClient.connected(server.url(), server.token("a".repeat(256)), WebSocket.NAME)) {
            assertTrue(client.connected(), "256 characters are usable");
        }
    }

    @Test
    void aPacketsTokenWithAControlCharacterIsInvalid() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token("eve"), WebSocket.NAME)) {
            JSONObject payload = packet("forged-token-1", "https://vimeo.com/7", "x", 1)
                    .put("accessToken", server.token("eve\u2029" + FORGED));
            JSONObject ack = client.emitWithAck("packet", payload).get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("invalid", ack.getJSONObject("error").getString("reason"), ack.toString());
        }
        assertNoForgedLine();
    }

    @Test
    void anHttpBearerTokenWithAControlCharacterIsInvalid() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/videos"))
                .header("Authorization", "Bearer " + server.token("eve\r\n" + FORGED)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"invalid\""), response.body());
    }

    @Test
    void packetIdsAndUrlsWithLineBreaksForgeNoLine() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token("url-user"), WebSocket.NAME)) {
            for (JSONObject payload : List.of(
                    packet("bad\r\n" + FORGED, "https://vimeo.com/8", "x", 1),
                    packet("url-1", "https://example.com/a\u2028" + FORGED, "x", 1),
                    packet("url-2", "https://example.com/a\r\n" + FORGED, "x", 1),
                    packet("url-3", "https://example.com/a%0A" + FORGED.replace(" ", "%20"), "x", 1))) {
                JSONObject ack = client.emitWithAck("packet", payload).get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(ack.has("ok"), ack.toString());
            }
        }
        assertNoForgedLine();
    }

    @Test
    void theLogNamesAUrlThatIsNotAVideoSiteByHostAndPathOnly() throws Exception {
        try (JavaClient client = JavaClient.connected(server.url(), server.token("private-url-user"), WebSocket.NAME)) {
            JSONObject ack = client.emitWithAck("packet", packet("private-1",
                    "https://example.com/private/video.mp4?token=SECRET123&utm_source=x#frag-SECRET456", "x", 1))
                    .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(ack.getBoolean("ok"), ack.toString());
        }
        String log = Files.readString(server.log());
        assertTrue(log.contains("packet private-1 of private-url-user: stored (1 notes, url:https://example.com/private/video.mp4)"), log);
        assertFalse(log.contains("SECRET123") || log.contains("SECRET456"), "a query or fragment reached the log");
    }

    @Test
    void loginsFailuresAndThrottlingAreLoggedAndCountedNeverThePassword() throws Exception {
        assertEquals(401, login("x\n" + FORGED, "wrong-password-1"));
        assertEquals(401, login(USER, "wrong-password-2"));
        assertEquals(200, login(USER, PASSWORD));
        String log = Files.readString(server.log());
        assertTrue(log.contains("login of x\\u000a2026-12-07T00:00:00.000Z"), "the failed login is logged, escaped:\n" + log);
        assertTrue(log.contains("login of " + USER + " from 127.0.0.1: accepted"), log);
        assertTrue(log.contains("login of " + USER + " from 127.0.0.1: refused"), log);
        assertFalse(log.contains("wrong-password") || log.contains(PASSWORD), "a password reached the log");
        assertNoForgedLine();

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(value(metrics.body(), "notesync_logins_total\\{outcome=\"accepted\"}") >= 1, metrics.body());
        assertTrue(value(metrics.body(), "notesync_logins_total\\{outcome=\"refused\"}") >= 2, metrics.body());
        assertTrue(metrics.body().contains("notesync_logins_total{outcome=\"throttled\"}"), metrics.body());
    }

    private static int login(String username, String password) throws Exception {
        String body = new JSONObject().put("username", username).put("password", password).toString();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void assertNoForgedLine() throws Exception {
        List<String> lines = Files.readAllLines(server.log());
        assertFalse(lines.isEmpty(), "the server logs to its file");
        for (String line : lines) {
            assertFalse(line.startsWith("2026-12-07T00:00:00.000Z") || line.contains("\u2028") || line.contains("\u2029")
                    || line.contains("\u0085") || line.contains("\u202e") || line.contains("\r"), "a forged line: " + line);
        }
    }

    private static double value(String text, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
        assertTrue(matcher.find(), "no " + series + " in\n" + text);
        return Double.parseDouble(matcher.group(1));
    }
}
