package io.notesync.protocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code notesync user ...} as an operator runs it, in a child JVM, against a server that is
 * running on the embedded store (which holds the store's file open), then logging in over HTTP.
 */
class UserCliTest {

    private static TestServer server;
    /** 'user remove' waits the store's timeout (and 2 s) for packets in flight; short here. */
    private static final Map<String, String> QUICK_SWEEP = Map.of("mongodb.timeoutMs", "500");

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("auth.passwordHashCost", "4"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    /** Runs the CLI with the running server's settings; {@code stdin} is what it reads the password from. */
    private static Run cli(String stdin, Map<String, String> extra, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.notesync.cli.Main"));
        command.addAll(List.of(args));
        TestServer.baseSettings(server.dataDir(), Map.of("auth.passwordHashCost", "4"))
                .forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        extra.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        Path out = Files.createTempFile("notesync-cli-", ".out");
        Path err = Files.createTempFile("notesync-cli-", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI finished");
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static HttpResponse<String> login(String username, String password) throws IOException, InterruptedException {
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void userAddWhileTheServerRunsOnTheEmbeddedStoreThenLogin() throws Exception {
        Run add = cli("s3cret-from-stdin\n", Map.of(), "user", "add", "carol");
        assertEquals(0, add.exit(), add.stderr());
        if (System.getenv(TestServer.MONGODB_URI_VARIABLE) == null) {
            assertTrue(add.stderr().contains("running server's embedded store"), add.stderr());
        }
        assertFalse(add.stdout().contains("s3cret") || add.stderr().contains("s3cret"), "the password is never echoed");

        HttpResponse<String> ok = login("carol", "s3cret-from-stdin");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"username\":\"carol\""), ok.body());
        assertEquals(401, login("carol", "wrong").statusCode());

        Run list = cli("", Map.of(), "user", "list");
        assertEquals(0, list.exit(), list.stderr());
        assertTrue(list.stdout().lines().anyMatch(line -> line.startsWith("carol\t")), list.stdout());

        Run again = cli("other-password\n", Map.of(), "user", "add", "carol");
        assertEquals(1, again.exit());
        assertTrue(again.stderr().contains("already exists"), again.stderr());

        Run passwd = cli("new-password-1\n", Map.of(), "user", "passwd", "carol");
        assertEquals(0, passwd.exit(), passwd.stderr());
        assertEquals(401, login("carol", "s3cret-from-stdin").statusCode());
        assertEquals(200, login("carol", "new-password-1").statusCode());

        Run refused = cli("", Map.of(), "user", "remove", "carol");
        assertEquals(1, refused.exit(), refused.stdout());
        assertTrue(refused.stderr().contains("--yes"), refused.stderr());
        assertEquals(200, login("carol", "new-password-1").statusCode(), "without a terminal and --yes nothing is removed");

        Run remove = cli("", QUICK_SWEEP, "user", "remove", "--yes", "carol");
        assertEquals(0, remove.exit(), remove.stderr());
        assertTrue(remove.stdout().contains("removed user carol: 0 notes, "), remove.stdout());
        assertEquals(401, login("carol", "new-password-1").statusCode());
    }

    @Test
    void userPasswdEndsEverySessionTheOldCookieTheOldTokenAndTheLiveSocket() throws Exception {
        server.addUser("rita", "rita-password-1");
        AccountApi.Session session = AccountApi.login(server.url(), "rita", "rita-password-1");
        Instant loggedIn = Instant.now();
        try (JavaClient socket = JavaClient.connected(server.url(), session.accessToken(), WebSocket.NAME)) {
            AccountApi.awaitNextSecond(loggedIn);
            Run passwd = cli("rita-password-2\n", Map.of(), "user", "passwd", "rita");
            assertEquals(0, passwd.exit(), passwd.stderr());

            Object revoked = socket.queue("invalidToken").poll(2, TimeUnit.SECONDS);
            assertNotNull(revoked, "no invalidToken within 2 s of the CLI's change; " + socket.state());
            assertEquals("revoked", ((JSONObject) revoked).getString("reason"));
            assertEquals("io server disconnect", socket.next(io.socket.client.Socket.EVENT_DISCONNECT));
        }
        HttpResponse<String> refresh = AccountApi.refresh(server.url(), session.cookie());
        assertEquals(401, refresh.statusCode(), "the refresh cookie from before the change: " + refresh.body());
        try (JavaClient old = JavaClient.open(server.url(), session.accessToken(), WebSocket.NAME)) {
            assertEquals("revoked", old.nextObject("invalidToken").getString("reason"), "the old token at CONNECT");
        }
        assertEquals(401, AccountApi.get(server.url(), "/api/videos", session.accessToken()).statusCode());
        AccountApi.Session again = AccountApi.login(server.url(), "rita", "rita-password-2");
        try (JavaClient fresh = JavaClient.connected(server.url(), again.accessToken(), WebSocket.NAME)) {
            assertTrue(fresh.connected(), "a token issued after the change connects");
        }
    }

    @Test
    void aNewAccountOfARemovedUsersNameSeesNoOldNotes() throws Exception {
        server.addUser("dora", "dora-password-1");
        String oldToken = AccountApi.login(server.url(), "dora", "dora-password-1").accessToken();
        try (JavaClient socket = JavaClient.connected(server.url(), oldToken, WebSocket.NAME)) {
            JSONObject ack = socket.emitWithAck("packet", JavaClient.packet("dora-1", "https://vimeo.com/76", "private", 1))
                    .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(ack.getBoolean("ok"), ack.toString());
        }
        Run remove = cli("", QUICK_SWEEP, "user", "remove", "--yes", "dora");
        assertEquals(0, remove.exit(), remove.stderr());
        assertTrue(remove.stdout().contains("removed user dora: 1 notes"), remove.stdout());

        server.addUser("dora", "dora-password-2");
        String newToken = AccountApi.login(server.url(), "dora", "dora-password-2").accessToken();
        HttpResponse<String> videos = AccountApi.get(server.url(), "/api/videos", newToken);
        assertEquals(200, videos.statusCode(), videos.body());
        assertEquals(0, new JSONObject(videos.body()).getJSONArray("videos").length(), videos.body());
        assertEquals(401, AccountApi.get(server.url(), "/api/videos", oldToken).statusCode(),
                "the old account's token stays revoked (a tombstone)");
    }

    @Test
    void aShortPasswordIsRefusedNamingTheRule() throws Exception {
        Run add = cli("x\n", Map.of(), "user", "add", "shorty");
        assertEquals(1, add.exit(), add.stdout());
        assertTrue(add.stderr().contains("at least 8 characters"), add.stderr());
        assertEquals(401, login("shorty", "x").statusCode(), "no user was added");
    }

    @Test
    void noPasswordOnStdinIsRefusedClearly() throws Exception {
        Run add = cli("", Map.of(), "user", "add", "dave");
        assertEquals(1, add.exit());
        assertTrue(add.stderr().contains("no password"), add.stderr());
    }

    @Test
    void anUnreachableDatabaseIsNamed() throws Exception {
        Run list = cli("", Map.of("mongodb.uri", "mongodb://127.0.0.1:1/", "mongodb.timeoutMs", "1000"), "user", "list");
        assertEquals(3, list.exit(), list.stderr());
        assertTrue(list.stderr().contains("cannot reach MongoDB at mongodb://127.0.0.1:1/"), list.stderr());
    }
}
