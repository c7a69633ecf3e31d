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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code notesync user ...} as an operator runs it, in a child JVM, against a server that is
 * running on the embedded store (which holds the store's file open), then logging in over HTTP.
 */
class UserCliTest {

    private static TestServer server;

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

        Run remove = cli("", Map.of(), "user", "remove", "carol");
        assertEquals(0, remove.exit(), remove.stderr());
        assertEquals(401, login("carol", "new-password-1").statusCode());
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
