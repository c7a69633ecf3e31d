package io.notesync.protocol;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the browser suite in {@code protocol-tests/browser/test/} (Debian's Chromium driven by
 * playwright-core under Node's test runner) against real notesync servers on
 * {@code http://localhost:PORT}, with the web app served from a second, allowed origin of the same
 * site and a third origin that is not allowed. Each browser test is reported as a test here.
 */
class BrowserTest {

    static final String USER = "alice";
    static final String PASSWORD = "pw-alice-secret";
    /** A user of its own for the screenshot, so it shows only the notes written for it; same password. */
    static final String SCREENSHOT_USER = "maria";

    private static WebOrigin appOrigin;
    private static WebOrigin otherOrigin;
    private static TestServer server;
    private static TestServer expiryServer;
    /** Stopped and started again (same port, same data directory) by the offline test, through {@link #control}. */
    private static volatile TestServer offlineServer;
    private static Map<String, String> offlineSettings;
    private static Path offlineDataDir;
    private static HttpServer control;
    /** server.tls with a self-signed certificate made here, for tls.test.mjs. */
    private static TestServer tlsServer;

    @BeforeAll
    static void startServers() throws Exception {
        Path browserDir = browserDir();
        appOrigin = new WebOrigin(browserDir.resolve("pages"));
        otherOrigin = new WebOrigin(browserDir.resolve("pages"));
        Map<String, String> settings = Map.of(
                "http.allowedOrigins", appOrigin.origin(),
                "auth.passwordHashCost", "4");
        server = TestServer.start(settings);
        Map<String, String> shortTokens = new HashMap<>(settings);
        shortTokens.put("auth.accessTokenTtlSeconds", "3");
        expiryServer = TestServer.start(shortTokens);
        offlineDataDir = TestServer.temporaryDataDir();
        offlineServer = startOnAFixedPort(settings);
        // Both copies of the web app name the main server in their page, as an operator would.
        appOrigin.notesyncOrigin(localhost(server));
        otherOrigin.notesyncOrigin(localhost(server));
        TestCertificate certificate = TestCertificate.generate("RSA");
        tlsServer = TestServer.start(Map.of(
                "server.tls.certFile", certificate.certFile().toString(),
                "server.tls.keyFile", certificate.keyFile().toString(),
                "auth.passwordHashCost", "4"));
        for (TestServer s : new TestServer[] {server, expiryServer, offlineServer, tlsServer}) {
            s.addUser(USER, PASSWORD);
            s.addUser(SCREENSHOT_USER, PASSWORD);
        }
        // account.test.mjs: one user per flow (a password change, a deletion), same password.
        for (String accountUser : new String[] {"account-pw", "account-out", "account-export", "account-delete"}) {
            server.addUser(accountUser, PASSWORD);
        }
        control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        control.createContext("/offline/stop", exchange -> {
            try (exchange) {
                offlineServer.close();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        control.createContext("/offline/start", exchange -> {
            try (exchange) {
                offlineServer = TestServer.start(offlineDataDir, offlineSettings);
                exchange.sendResponseHeaders(204, -1);
            }
        });
        control.start();
    }

    @AfterAll
    static void stopServers() {
        if (control != null) {
            control.stop(0);
        }
        for (AutoCloseable part : new AutoCloseable[] {server, expiryServer, offlineServer, tlsServer, appOrigin, otherOrigin}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // closing a server the offline test left stopped
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> browserSuite() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NOTESYNC_URL", localhost(server));
        env.put("NOTESYNC_EXPIRY_URL", localhost(expiryServer));
        env.put("NOTESYNC_OFFLINE_URL", localhost(offlineServer));
        env.put("NOTESYNC_TLS_URL", "https://localhost:" + tlsServer.port());
        env.put("NOTESYNC_CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort());
        env.put("NOTESYNC_APP_ORIGIN", appOrigin.origin());
        env.put("NOTESYNC_OTHER_ORIGIN", otherOrigin.origin());
        env.put("NOTESYNC_USER", USER);
        env.put("NOTESYNC_PASSWORD", PASSWORD);
        env.put("NOTESYNC_SCREENSHOT_USER", SCREENSHOT_USER);
        env.put("NOTESYNC_SCREENSHOT", System.getProperty("notesync.screenshot",
                browserDir().resolve("test-results/screenshot.png").toString()));
        // NOTESYNC_BROWSER_TESTS narrows the run to some files, e.g. offline.test.mjs.
        return NodeTestSuite.run(browserDir(), env, "NOTESYNC_BROWSER_TESTS", Duration.ofMinutes(10));
    }

    private static Path browserDir() {
        return Path.of(System.getProperty("notesync.browser.dir", "browser")).toAbsolutePath();
    }

    /** localhost, not 127.0.0.1: the app's origin is on localhost, and the two are different sites. */
    private static String localhost(TestServer s) {
        return "http://localhost:" + s.port();
    }

    /**
     * The offline server restarts on the same port, so it gets a fixed one. A port found free can be
     * taken by another process before the server binds it (a full run once failed so, with a
     * benchmark running beside it): then another port.
     */
    private static TestServer startOnAFixedPort(Map<String, String> settings) throws IOException {
        for (int attempt = 1; ; attempt++) {
            offlineSettings = new HashMap<>(settings);
            offlineSettings.put("server.port", Integer.toString(freePort()));
            try {
                return TestServer.start(offlineDataDir, offlineSettings);
            } catch (RuntimeException e) {
                boolean taken = false;
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    taken |= cause instanceof java.net.BindException;
                }
                if (!taken || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
