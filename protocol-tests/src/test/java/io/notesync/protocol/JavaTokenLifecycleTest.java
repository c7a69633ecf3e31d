package io.notesync.protocol;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Login, refresh and per-packet re-authentication with socket.io-client-java over both transports. */
class JavaTokenLifecycleTest {

    private static final String USER = "java-lifecycle";
    private static final String PASSWORD = "java-lifecycle-password";
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("auth.passwordHashCost", "4", "auth.accessTokenTtlSeconds", "2"));
        server.addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String body, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieOf(HttpResponse<String> response) {
        return response.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    }

    private static String videoUrl() {
        return "https://videos.example.com/java-" + UUID.randomUUID();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {WebSocket.NAME, Polling.NAME})
    void anExpiredPacketTokenIsRefusedAndTheRefreshedOneIsConfirmed(String transport) throws Exception {
        HttpResponse<String> login = post("/auth/login", "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertEquals(200, login.statusCode(), login.body());
        String loginToken = new JSONObject(login.body()).getString("accessToken");
        try (JavaClient client = JavaClient.connected(server.url(), server.token(USER), transport)) {
            Thread.sleep(2200);
            JSONObject expired = packet("p-" + UUID.randomUUID(), videoUrl(), "late", 1).put("accessToken", loginToken);
            client.emit("packet", expired);
            JSONObject refused = client.nextObject("invalidToken");
            assertEquals("expired", refused.getString("reason"));
            assertEquals(expired.getString("packetId"), refused.getString("packetId"));
            assertTrue(client.connected());

            HttpResponse<String> refreshed = post("/refresh", null, cookieOf(login));
            assertEquals(200, refreshed.statusCode(), refreshed.body());
            expired.put("accessToken", new JSONObject(refreshed.body()).getString("accessToken"));
            client.emit("packet", expired);
            JSONObject confirmation = client.nextObject("confirmation");
            assertEquals("stored", confirmation.getString("status"));
        }
    }

    @Test
    void anotherUsersTokenInAPacketIsUserMismatchAndTheSocketKeepsItsIdentity() throws Exception {
        try (JavaClient alice = JavaClient.connected(server.url(), server.token("java-alice"), WebSocket.NAME);
             JavaClient bob = JavaClient.connected(server.url(), server.token("java-bob"), WebSocket.NAME)) {
            JSONObject p = packet("p-" + UUID.randomUUID(), videoUrl(), "mine", 1).put("accessToken", server.token("java-bob"));
            JSONObject ack = alice.emitWithAck("packet", p).get();
            assertFalse(ack.getBoolean("ok"));
            assertEquals("userMismatch", ack.getJSONObject("error").getString("reason"));
            assertEquals(p.getString("packetId"), ack.getJSONObject("error").getString("packetId"));
            assertTrue(alice.connected());
            assertFalse(bob.receives("fPacket", 400), "bob gets nothing of alice's packet");
        }
    }

    @Test
    void algNoneAndHs512InAPacketAreInvalid() throws Exception {
        // jjwt wants 512 bits for HS512; the shared secret twice over. What is refused is the algorithm.
        byte[] secret = (TestServer.SECRET + TestServer.SECRET).getBytes(StandardCharsets.UTF_8);
        Date exp = Date.from(Instant.now().plus(Duration.ofMinutes(5)));
        String hs512 = Jwts.builder().claim("username", "java-carol").expiration(exp)
                .signWith(Keys.hmacShaKeyFor(secret), Jwts.SIG.HS512).compact();
        String none = Jwts.builder().claim("username", "java-carol").expiration(exp).compact();
        try (JavaClient client = JavaClient.connected(server.url(), server.token("java-carol"), WebSocket.NAME)) {
            for (String token : new String[] {hs512, none}) {
                JSONObject p = packet("p-" + UUID.randomUUID(), videoUrl(), "x", 1).put("accessToken", token);
                JSONObject ack = client.emitWithAck("packet", p).get();
                assertEquals("invalid", ack.getJSONObject("error").getString("reason"), token);
                assertTrue(client.connected());
            }
        }
    }
}
