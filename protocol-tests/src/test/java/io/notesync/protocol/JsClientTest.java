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

    private static TestServer server;
    private static TestServer queryTokenServer;

    @BeforeAll
    static void startServers() {
        // Notes up to 100,000 characters, so that a 900,000-byte packet of ten notes is valid.
        server = TestServer.start(Map.of("limits.maxNoteChars", "100000"));
        queryTokenServer = TestServer.start(Map.of("socketio.allowQueryToken", "true"));
    }

    @AfterAll
    static void stopServers() {
        server.close();
        queryTokenServer.close();
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
