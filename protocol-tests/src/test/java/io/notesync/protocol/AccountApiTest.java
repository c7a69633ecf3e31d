package io.notesync.protocol;

import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The person's own account over HTTP: change the password, log out everywhere, export everything, delete. */
class AccountApiTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("auth.passwordHashCost", "4"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newUser(String password) {
        String name = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        server.addUser(name, password);
        return name;
    }

    private static void assertRevoked(JavaClient socket) throws Exception {
        Object revoked = socket.queue("invalidToken").poll(2, TimeUnit.SECONDS);
        assertNotNull(revoked, "no invalidToken within 2 s; " + socket.state());
        assertEquals("revoked", ((JSONObject) revoked).getString("reason"));
        assertEquals("io server disconnect", socket.next(Socket.EVENT_DISCONNECT));
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionAndThisOneGoesOnWithTheAnsweredTokenAndCookie() throws Exception {
        String user = newUser("first-password");
        AccountApi.Session other = AccountApi.login(server.url(), user, "first-password");
        AccountApi.Session mine = AccountApi.login(server.url(), user, "first-password");
        Instant loggedIn = Instant.now();
        try (JavaClient otherSocket = JavaClient.connected(server.url(), other.accessToken(), WebSocket.NAME);
             JavaClient mySocket = JavaClient.connected(server.url(), mine.accessToken(), WebSocket.NAME)) {
            HttpResponse<String> wrong = AccountApi.changePassword(server.url(), mine, "not-my-password", "second-password");
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("\"invalidCredentials\""), wrong.body());
            HttpResponse<String> weak = AccountApi.changePassword(server.url(), mine, "first-password", "short");
            assertEquals(400, weak.statusCode());
            JSONObject error = new JSONObject(weak.body()).getJSONObject("error");
            assertEquals("weakPassword", error.getString("code"));
            assertEquals("newPassword", error.getString("field"));
            assertTrue(error.getString("message").contains("at least 8 characters"), error.toString());

            AccountApi.awaitNextSecond(loggedIn);
            HttpResponse<String> changed = AccountApi.changePassword(server.url(), mine, "first-password", "second-password");
            assertEquals(200, changed.statusCode(), changed.body());
            String newToken = new JSONObject(changed.body()).getString("accessToken");
            String newCookie = AccountApi.cookieOf(changed);
            assertNotNull(newCookie, "a new refresh cookie for this session");

            assertRevoked(otherSocket);
            assertRevoked(mySocket);
            assertEquals(401, AccountApi.refresh(server.url(), other.cookie()).statusCode(), "the other session's cookie");
            assertEquals(401, AccountApi.refresh(server.url(), mine.cookie()).statusCode(), "this session's old cookie");
            assertEquals(401, AccountApi.get(server.url(), "/api/videos", other.accessToken()).statusCode());
            assertEquals(200, AccountApi.refresh(server.url(), newCookie).statusCode(), "the cookie it was answered with");
            try (JavaClient reconnected = JavaClient.connected(server.url(), newToken, WebSocket.NAME)) {
                assertTrue(reconnected.connected());
            }
        }
    }

    @Test
    void logOutEverywhereEndsEverySessionThisOneIncluded() throws Exception {
        String user = newUser("logout-all-password");
        AccountApi.Session session = AccountApi.login(server.url(), user, "logout-all-password");
        Instant loggedIn = Instant.now();
        try (JavaClient socket = JavaClient.connected(server.url(), session.accessToken(), WebSocket.NAME);
             JavaClient bystander = JavaClient.connected(server.url(), server.token("bystander"), WebSocket.NAME)) {
            AccountApi.awaitNextSecond(loggedIn);
            HttpResponse<String> out = AccountApi.logoutAll(server.url(), session);
            assertEquals(204, out.statusCode(), out.body());
            assertTrue(out.headers().allValues("set-cookie").stream().anyMatch(c -> c.contains("Max-Age=0")), "the cookie is cleared");
            assertRevoked(socket);
            assertTrue(bystander.connected(), "another user's socket stays");
        }
        assertEquals(401, AccountApi.refresh(server.url(), session.cookie()).statusCode());
        HttpResponse<String> videos = AccountApi.get(server.url(), "/api/videos", session.accessToken());
        assertEquals(401, videos.statusCode());
        assertTrue(videos.body().contains("\"revoked\""), videos.body());
    }

    @Test
    void exportGivesEveryVideoAndLiveNoteAsJsonOrEscapedMarkdown() throws Exception {
        String user = newUser("export-password");
        String token = AccountApi.login(server.url(), user, "export-password").accessToken();
        try (JavaClient socket = JavaClient.connected(server.url(), token, WebSocket.NAME)) {
            for (JSONObject payload : new JSONObject[] {
                    packet("e1", "https://vimeo.com/11", "second", 20, "first", 10),
                    packet("e2", "https://example.com/v.mp4?token=SECRET", "<img src=x onerror=alert(1)> *not bold*", 5)}) {
                assertTrue(socket.emitWithAck("packet", payload).get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS).getBoolean("ok"));
            }
        }
        HttpResponse<String> json = AccountApi.get(server.url(), "/api/export", token);
        assertEquals(200, json.statusCode(), json.body());
        assertTrue(json.headers().firstValue("content-disposition").orElse("").startsWith("attachment"), json.headers().map().toString());
        JSONObject body = new JSONObject(json.body());
        assertEquals(user, body.getString("username"));
        JSONArray videos = body.getJSONArray("videos");
        assertEquals(2, videos.length(), body.toString());
        JSONObject vimeo = videos.getJSONObject(1).getString("videoKey").equals("vimeo:11") ? videos.getJSONObject(1) : videos.getJSONObject(0);
        assertEquals("first", vimeo.getJSONArray("notes").getJSONObject(0).getString("text"), "ordered by timestamp");
        assertEquals("second", vimeo.getJSONArray("notes").getJSONObject(1).getString("text"));

        HttpResponse<String> markdown = AccountApi.get(server.url(), "/api/export?format=markdown", token);
        assertEquals(200, markdown.statusCode());
        assertTrue(markdown.headers().firstValue("content-type").orElse("").startsWith("text/markdown"));
        assertTrue(markdown.headers().firstValue("content-disposition").orElse("").contains(".md\""));
        assertFalse(markdown.body().contains("<img"), markdown.body());
        assertTrue(markdown.body().contains("&lt;img src=x onerror=alert\\(1\\)&gt; \\*not bold\\*"), markdown.body());
        assertEquals(400, AccountApi.get(server.url(), "/api/export?format=pdf", token).statusCode());
    }

    @Test
    void deletingTheAccountTakesTheNotesAndANewAccountOfTheNameStartsEmpty() throws Exception {
        String user = newUser("delete-password");
        String token = AccountApi.login(server.url(), user, "delete-password").accessToken();
        Instant loggedIn = Instant.now();
        try (JavaClient socket = JavaClient.connected(server.url(), token, WebSocket.NAME)) {
            assertTrue(socket.emitWithAck("packet", packet("d1", "https://vimeo.com/12", "mine", 1))
                    .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS).getBoolean("ok"));
            assertEquals(401, AccountApi.deleteAccount(server.url(), token, "not-the-password").statusCode());
            // iat is whole seconds: a token of the same second as the deletion is not revoked (docs/protocol.md).
            AccountApi.awaitNextSecond(loggedIn);
            HttpResponse<String> deleted = AccountApi.deleteAccount(server.url(), token, "delete-password");
            assertEquals(204, deleted.statusCode(), deleted.body());
            assertRevoked(socket);
        }
        server.addUser(user, "another-password");
        String newToken = AccountApi.login(server.url(), user, "another-password").accessToken();
        HttpResponse<String> videos = AccountApi.get(server.url(), "/api/videos", newToken);
        assertEquals(0, new JSONObject(videos.body()).getJSONArray("videos").length(), videos.body());
        assertEquals(401, AccountApi.get(server.url(), "/api/videos", token).statusCode(), "the old token stays revoked");
    }

    @Test
    void theAccountRoutesAreBehindTheOriginGate() throws Exception {
        String user = newUser("origin-password");
        AccountApi.Session session = AccountApi.login(server.url(), user, "origin-password");
        for (String[] route : new String[][] {{"POST", "/auth/logout-all"}, {"POST", "/auth/password"},
                {"DELETE", "/api/account"}, {"GET", "/api/export"}}) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + route[1]))
                    .header("Origin", "https://evil.example").header("Authorization", "Bearer " + session.accessToken())
                    .method(route[0], HttpRequest.BodyPublishers.ofString("{\"password\":\"origin-password\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode(), route[1] + ": " + response.body());
        }
        assertEquals(200, AccountApi.refresh(server.url(), session.cookie()).statusCode(), "nothing was changed");
    }
}
