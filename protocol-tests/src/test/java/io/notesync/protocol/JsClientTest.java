package io.notesync.protocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the JavaScript suite in {@code protocol-tests/js/test/} (npm socket.io-client v4 under
 * Node's test runner) against real notesync servers, and reports each JavaScript test as a test
 * of its own here.
 */
class JsClientTest {

    /** Users seeded on the servers of the token-lifecycle tests; the password of NAME is "pw-NAME-secret". */
    static final int SEEDED_USERS = 40;
    static final String ALLOWED_ORIGINS = "https://app.example.test,chrome-extension://notesyncextensionidabcdefghijk";

    private static TestServer server;
    private static TestServer queryTokenServer;
    private static TestServer authServer;
    private static TestServer shortRefreshServer;
    private static TestServer rsServer;
    private static RsaKeys rsaKeys;
    /** server.tls with a self-signed certificate made here, for tls.test.mjs. */
    private static TestServer tlsServer;
    private static TestCertificate tlsCertificate;
    static final String TLS_USER = "tls-user";
    static final String TLS_PASSWORD = "pw-tls-user-secret";

    @BeforeAll
    static void startServers() throws Exception {
        // Notes up to 100,000 characters, so that a 900,000-byte packet of ten notes is valid.
        server = TestServer.start(Map.of("limits.maxNoteChars", "100000"));
        queryTokenServer = TestServer.start(Map.of("socketio.allowQueryToken", "true"));
        // Short access tokens and a short grace window, so expiry and reuse can be watched in seconds.
        authServer = TestServer.start(Map.of(
                "auth.accessTokenTtlSeconds", "3",
                "auth.refreshReuseGraceSeconds", "2",
                "auth.passwordHashCost", "4",
                "login.maxFailuresPerUser", "3",
                "login.maxFailuresPerAddress", "1000",
                "http.allowedOrigins", ALLOWED_ORIGINS));
        shortRefreshServer = TestServer.start(Map.of(
                "auth.refreshTokenTtlSeconds", "2",
                "auth.passwordHashCost", "4"));
        for (TestServer seeded : new TestServer[] {authServer, shortRefreshServer}) {
            for (String user : seededUsers()) {
                seeded.addUser(user, "pw-" + user + "-secret");
            }
        }
        rsaKeys = RsaKeys.generate();
        rsServer = TestServer.start(Map.of(
                "auth.algorithm", "RS256",
                "auth.publicKeyFile", rsaKeys.publicKeyFile().toString(),
                "auth.issuer", "notesync-tests",
                "auth.audience", "notesync-clients"));
        tlsCertificate = TestCertificate.generate("EC");
        tlsServer = TestServer.start(Map.of(
                "server.tls.certFile", tlsCertificate.certFile().toString(),
                "server.tls.keyFile", tlsCertificate.keyFile().toString(),
                "auth.passwordHashCost", "4"));
        tlsServer.addUser(TLS_USER, TLS_PASSWORD);
    }

    static List<String> seededUsers() {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= SEEDED_USERS; i++) {
            users.add(String.format("tl-user-%02d", i));
        }
        return users;
    }

    @AfterAll
    static void stopServers() {
        for (TestServer s : new TestServer[] {server, queryTokenServer, authServer, shortRefreshServer, rsServer, tlsServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> javascriptSuite() throws Exception {
        Map<String, String> env = new HashMap<>(server.clientEnvironment());
        env.put("NOTESYNC_QUERY_TOKEN_URL", queryTokenServer.url());
        env.put("NOTESYNC_AUTH_URL", authServer.url());
        env.put("NOTESYNC_SHORT_REFRESH_URL", shortRefreshServer.url());
        env.put("NOTESYNC_AUTH_USERS", String.join(",", seededUsers()));
        env.put("NOTESYNC_ALLOWED_ORIGINS", ALLOWED_ORIGINS);
        env.put("NOTESYNC_RS_URL", rsServer.url());
        env.put("NOTESYNC_RS_PUBLIC_KEY", rsaKeys.publicKeyFile().toString());
        env.put("NOTESYNC_RS_PRIVATE_KEY", rsaKeys.privateKeyFile().toString());
        env.put("NOTESYNC_TLS_URL", tlsServer.url());
        env.put("NOTESYNC_TLS_CA", tlsCertificate.certFile().toString());
        env.put("NOTESYNC_TLS_USER", TLS_USER);
        env.put("NOTESYNC_TLS_PASSWORD", TLS_PASSWORD);
        // NOTESYNC_JS_TESTS narrows the run to some files while working on them, e.g. token-lifecycle.test.mjs.
        return NodeTestSuite.run(Path.of(System.getProperty("notesync.js.dir", "js")), env, "NOTESYNC_JS_TESTS",
                Duration.ofMinutes(8));
    }
}
