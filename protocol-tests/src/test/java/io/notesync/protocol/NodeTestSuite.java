package io.notesync.protocol;

import org.junit.jupiter.api.DynamicTest;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Runs a {@code node --test} suite (one file at a time, output on this build's console) and
 * reports each of its tests as a JUnit dynamic test, failing with the JavaScript failure's text.
 */
final class NodeTestSuite {

    /** Each Node or browser test's own limit, far above what any of them takes, even on a busy machine. */
    static final Duration PER_TEST_TIMEOUT = Duration.ofMinutes(2);

    private NodeTestSuite() {
    }

    /**
     * @param dir          the npm package holding {@code test/}
     * @param environment  what the tests read (server URLs and the like)
     * @param onlyVariable an environment variable that, when set, narrows the run to some files of
     *                     {@code test/}, comma-separated, while working on them
     * @param limit        the whole run's time limit
     */
    static Stream<DynamicTest> run(Path dir, Map<String, String> environment, String onlyVariable, Duration limit)
            throws Exception {
        Path report = Files.createTempFile("notesync-node-", ".xml");
        ProcessBuilder node = new ProcessBuilder("node", "--test",
                "--test-concurrency=1",
                // A hung Node test fails alone, naming itself, and the suite goes on.
                "--test-timeout=" + PER_TEST_TIMEOUT.toMillis(),
                "--test-reporter=spec", "--test-reporter-destination=stdout",
                "--test-reporter=junit", "--test-reporter-destination=" + report)
                .directory(dir.toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        node.environment().putAll(environment);
        String only = System.getenv(onlyVariable);
        if (only != null && !only.isBlank()) {
            for (String file : only.split(",")) {
                node.command().add("test/" + file.trim());
            }
        }
        Process process = node.start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("node --test in " + dir + " did not finish within " + limit);
        }
        List<DynamicTest> tests = testsFrom(report.toFile());
        assertFalse(tests.isEmpty(), "node --test in " + dir + " reported no tests");
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
            // The servers' log tails as they were when the suite ended, while they still run.
            String tails = failure == null ? "" : ServerLogs.tails();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                assertFalse(skipped, name + " was skipped");
                assertTrue(failure == null, () -> name + " failed:\n" + failure + tails);
            }));
        }
        return tests;
    }
}
