package io.notesync.protocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
        for (TestServer s : new TestServer[] {server, queryTokenServer, authServer, shortRefreshServer, rsServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> javascriptSuite() throws Exception {
        Path jsDir = Path.of(System.getProperty("notesync.js.dir", "js")).toAbsolutePath();
        Path report = Files.createTempFile("notesync-js-", ".xml");
        ProcessBuilder node = new ProcessBuilder("node", "--test",
                "--test-concurrency=1",
                "--test-reporter=spec", "--test-reporter-destination=stdout",
                "--test-reporter=junit", "--test-reporter-destination=" + report)
                .directory(jsDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        node.environment().putAll(server.clientEnvironment());
        node.environment().put("NOTESYNC_QUERY_TOKEN_URL", queryTokenServer.url());
        node.environment().put("NOTESYNC_AUTH_URL", authServer.url());
        node.environment().put("NOTESYNC_SHORT_REFRESH_URL", shortRefreshServer.url());
        node.environment().put("NOTESYNC_AUTH_USERS", String.join(",", seededUsers()));
        node.environment().put("NOTESYNC_ALLOWED_ORIGINS", ALLOWED_ORIGINS);
        node.environment().put("NOTESYNC_RS_URL", rsServer.url());
        node.environment().put("NOTESYNC_RS_PUBLIC_KEY", rsaKeys.publicKeyFile().toString());
        node.environment().put("NOTESYNC_RS_PRIVATE_KEY", rsaKeys.privateKeyFile().toString());
        // NOTESYNC_JS_TESTS narrows the run to some files while working on them, e.g. token-lifecycle.test.mjs.
        String only = System.getenv("NOTESYNC_JS_TESTS");
        if (only != null && !only.isBlank()) {
            for (String file : only.split(",")) {
                node.command().add("test/" + file.trim());
            }
        }
        Process process = node.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the JavaScript suite did not finish within 8 minutes");
        }
        List<DynamicTest> tests = testsFrom(report.toFile());
        assertFalse(tests.isEmpty(), "the JavaScript suite reported no tests");
        int exit = process.exitValue();
        tests.add(DynamicTest.dynamicTest("node --test exits 0", () -> assertEquals(0, exit, "node --test exit code")));
        return tests.stream();
    }

    /** One dynamic test per {@code <testcase>}, failing with the JavaScript failure's message. */
    private static List<DynamicTest> testsFrom(File junitXml) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junitXml);
        NodeList cases = document.getElementsByTagName("testcase");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            Element suite = (Element) testcase.getParentNode();
            String name = ("testsuite".equals(suite.getTagName()) ? suite.getAttribute("name") + " > " : "")
                    + testcase.getAttribute("name");
            NodeList failures = testcase.getElementsByTagName("failure");
            boolean skipped = testcase.getElementsByTagName("skipped").getLength() > 0;
            String failure = failures.getLength() > 0 ? failures.item(0).getTextContent() : null;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                assertFalse(skipped, name + " was skipped");
                assertTrue(failure == null, () -> name + " failed:\n" + failure);
            }));
        }
        return tests;
    }
}
