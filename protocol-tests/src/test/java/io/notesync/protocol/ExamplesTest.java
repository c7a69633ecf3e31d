package io.notesync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Trying it" runs as written: {@code examples/send-note.mjs} (npm socket.io-client)
 * and {@code examples/java/SendNote.java} (socket.io-client-java, run from source), each against a
 * real server, print the confirmation and the fPacket of the same packet, and the note is stored.
 */
class ExamplesTest {

    private static final String VIDEO_URL = "https://youtu.be/dQw4w9WgXcQ";
    private static final long RUN_SECONDS = 60;

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theNodeExamplePrintsTheConfirmationAndTheFPacketOfTheNoteItStored() throws Exception {
        String user = "example-node";
        Run run = run(List.of("node", examples().resolve("send-note.mjs").toString(), server.url(), server.token(user)));
        assertSentOneNote(user, run);
    }

    @Test
    void theJavaExamplePrintsTheConfirmationAndTheFPacketOfTheNoteItStored() throws Exception {
        String user = "example-java";
        Run run = run(javaExample(server.token(user)));
        assertSentOneNote(user, run);
    }

    @Test
    void bothExamplesFailWithTheServersAnswerWhenTheTokenIsRefused() throws Exception {
        Run node = run(List.of("node", examples().resolve("send-note.mjs").toString(), server.url(), "not-a-token"));
        assertEquals(1, node.exit, node.toString());
        assertTrue(node.output.contains("invalidToken") && node.output.contains("malformed"), node.toString());
        Run java = run(javaExample("not-a-token"));
        assertEquals(1, java.exit, java.toString());
        assertTrue(java.output.contains("invalidToken") && java.output.contains("malformed"), java.toString());
    }

    private static List<String> javaExample(String token) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        return List.of(javaHome.resolve("bin/java").toString(), "-cp", System.getProperty("java.class.path"),
                examples().resolve("java/SendNote.java").toString(), server.url(), token);
    }

    /** Exit 0; a confirmation {ok, stored 1} and an fPacket for the same packetId; the note readable over HTTP. */
    private static void assertSentOneNote(String user, Run run) throws Exception {
        assertEquals(0, run.exit, run.toString());
        JSONObject confirmation = new JSONObject(lineAfter(run, "confirmation "));
        JSONObject forwarded = new JSONObject(lineAfter(run, "fPacket "));
        assertTrue(confirmation.getBoolean("ok"), run.toString());
        assertEquals("stored", confirmation.getString("status"), run.toString());
        assertEquals(1, confirmation.getInt("stored"), run.toString());
        assertEquals(confirmation.getString("packetId"), forwarded.getString("packetId"), run.toString());
        assertEquals("the chorus starts here", forwarded.getJSONArray("notes").getJSONObject(0).getString("text"));
        assertEquals(List.of("the chorus starts here"), NotesApi.texts(server.url(), server.token(user), VIDEO_URL));
    }

    private static String lineAfter(Run run, String prefix) {
        return run.output.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()))
                .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in\n" + run));
    }

    private static Path examples() {
        return Path.of(System.getProperty("notesync.examples.dir", "../examples")).toAbsolutePath().normalize();
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("notesync-example-", ".txt");
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .directory(examples().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(1) + " did not end within " + RUN_SECONDS + " s:\n" + Files.readString(output));
        }
        Run run = new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        Files.delete(output);
        return run;
    }

    private record Run(int exit, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ", output:\n" + output;
        }
    }
}
