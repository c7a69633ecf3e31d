package io.notesync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * {@code logging.format: json}: a real {@code notesync serve} (a process of its own, with the
 * server's logback.xml) writes every line as one JSON object, and a packet's line carries its
 * user, socket, packetId and outcome as fields (docs/operations.md, "Logs").
 */
class JsonLogTest {

    private static final String VIDEO = "https://www.youtube.com/watch?v=json-log";

    @Test
    void eachPacketsLineIsAJsonObjectWithItsUserSocketPacketIdAndOutcome() throws Exception {
        String user = "json-logger-" + UUID.randomUUID().toString().substring(0, 8);
        try (ServerProcess server = withEmptyLog(new ServerProcess(TestServer.temporaryDataDir(), Map.of("logging.format", "json"))).start();
             JavaClient client = JavaClient.connected(server.url(), server.token(user), "websocket")) {
            String first = UUID.randomUUID().toString();
            client.emit("packet", JavaClient.packet(first, VIDEO, "a note", 1.5));
            assertEquals(first, client.nextObject("confirmation").getString("packetId"));
            client.emit("packet", JavaClient.packet(first, VIDEO, "a note", 1.5));
            assertEquals("duplicate", client.nextObject("confirmation").getString("status"));

            JSONObject stored = awaitLine(server, line -> first.equals(mdc(line).optString("packetId"))
                    && "stored".equals(mdc(line).optString("outcome")));
            JSONObject duplicate = awaitLine(server, line -> first.equals(mdc(line).optString("packetId"))
                    && "duplicate".equals(mdc(line).optString("outcome")));
            JSONObject connected = awaitLine(server, line -> line.optString("formattedMessage").contains("connected: user " + user + " "));

            assertEquals("INFO", stored.getString("level"));
            assertEquals("io.notesync.socket.PacketFlow", stored.getString("loggerName"));
            assertTrue(stored.getString("formattedMessage").contains("packet " + first + " of " + user + ": stored"), stored.toString());
            long millis = stored.getLong("timestamp");
            assertTrue(Math.abs(millis - Instant.now().toEpochMilli()) < Duration.ofMinutes(5).toMillis(), stored.toString());
            assertEquals(user, mdc(stored).getString("user"));
            String socket = mdc(connected).getString("socket");
            assertFalse(socket.isEmpty());
            assertEquals(socket, mdc(stored).getString("socket"), "the packet's line names the socket that connected");
            assertEquals(socket, mdc(duplicate).getString("socket"));
            assertEquals(user, mdc(connected).getString("user"));

            List<String> notJson = new ArrayList<>();
            for (String line : Files.readAllLines(server.log())) {
                if (!line.isBlank() && parse(line).isEmpty()) {
                    notJson.add(line);
                }
            }
            assertTrue(notJson.isEmpty(), "every line is one JSON object; these are not: " + notJson);
        }
    }

    /** Log files are appended to across builds: this run's lines only. */
    private static ServerProcess withEmptyLog(ServerProcess server) throws java.io.IOException {
        Files.deleteIfExists(server.log());
        return server;
    }

    private static JSONObject mdc(JSONObject line) {
        JSONObject mdc = line.optJSONObject("mdc");
        return mdc != null ? mdc : new JSONObject();
    }

    private static Optional<JSONObject> parse(String line) {
        try {
            return Optional.of(new JSONObject(line));
        } catch (JSONException e) {
            return Optional.empty();
        }
    }

    /** The first line of the server's log that matches; the log is written as the server goes. */
    private static JSONObject awaitLine(ServerProcess server, Predicate<JSONObject> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(JavaClient.WAIT_SECONDS).toNanos();
        while (true) {
            for (String line : Files.readAllLines(server.log())) {
                Optional<JSONObject> json = parse(line);
                if (json.isPresent() && wanted.test(json.get())) {
                    return json.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line within " + JavaClient.WAIT_SECONDS + " s in " + server.log()
                        + ":\n" + Files.readString(server.log()));
            }
            Thread.sleep(50);
        }
    }
}
