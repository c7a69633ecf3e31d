package io.notesync.protocol;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.notesync.store.EmbeddedMongo;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store written in the layout before per-user lookups (packets only) is migrated at start: the
 * server is killed with SIGKILL in the middle of it, started again, and then every user's notes
 * and videos are what the old store held, once each, with edits and deletions kept; every packet
 * is linked by exactly one change, and each user's changes are numbered 1..n without a gap.
 */
class LayoutMigrationTest {

    private static final int USERS = 20;
    private static final int PACKETS_EACH = 30;
    private static final int VIDEOS = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** What a user's video should show after the migration: live texts, sorted. */
    private final Map<String, Map<String, List<String>>> expected = new HashMap<>();

    @Test
    void aMigrationKilledMidwayFinishesOnRestartWithNothingLostOrDoubled() throws Exception {
        Path dataDir = TestServer.temporaryDataDir();
        seedOldLayout(dataDir);
        try (ServerProcess server = new ServerProcess(dataDir)) {
            server.launchOnly();
            // Midway: some users linked, not all; the server does not answer yet.
            long linkedUsers = awaitSomeUsersLinked(dataDir, server);
            assertThrows(ConnectException.class, () -> HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString()), "the server answered while migrating");
            server.kill();
            assertTrue(linkedUsers > 0 && linkedUsers < USERS, "killed midway: " + linkedUsers + " of " + USERS + " users linked");

            server.start();
            String log = Files.readString(server.log());
            assertTrue(log.contains("note layout: migrating to version 2"), "progress in the log");
            assertTrue(log.contains("note layout: migrated"), "completion in the log");

            for (int u = 0; u < USERS; u++) {
                String user = "user-" + u;
                String token = server.token(user);
                JSONArray videos = new JSONObject(get(server.url(), token, "/api/videos")).getJSONArray("videos");
                Map<String, Integer> counts = new TreeMap<>();
                for (int i = 0; i < videos.length(); i++) {
                    counts.put(videos.getJSONObject(i).getString("videoUrl"), videos.getJSONObject(i).getInt("noteCount"));
                }
                Map<String, Integer> expectedCounts = new TreeMap<>();
                expected.get(user).forEach((video, texts) -> expectedCounts.put(video, texts.size()));
                assertEquals(expectedCounts, counts, user + "'s videos");
                for (Map.Entry<String, List<String>> video : expected.get(user).entrySet()) {
                    JSONArray notes = new JSONObject(get(server.url(), token, "/api/notes?videoUrl="
                            + URLEncoder.encode(video.getKey(), StandardCharsets.UTF_8))).getJSONArray("notes");
                    List<String> texts = new ArrayList<>();
                    for (int i = 0; i < notes.length(); i++) {
                        texts.add(notes.getJSONObject(i).getString("text"));
                    }
                    texts.sort(null);
                    assertEquals(video.getValue(), texts, user + "'s notes of " + video.getKey());
                }
            }
            assertEveryPacketLinkedOnceInAGaplessSequence(dataDir);
        }
    }

    /** Today's shape of the layout before: one document per packet, notes embedded, edits and tombstones in place. */
    private void seedOldLayout(Path dataDir) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        try (EmbeddedMongo store = EmbeddedMongo.start(dataDir, 0);
             MongoClient client = MongoClients.create(store.connectionString())) {
            MongoDatabase database = client.getDatabase("notesync");
            for (int u = 0; u < USERS; u++) {
                String user = "user-" + u;
                Map<String, List<String>> videos = new TreeMap<>();
                List<Document> packets = new ArrayList<>();
                for (int p = 0; p < PACKETS_EACH; p++) {
                    String videoUrl = "https://vimeo.com/" + (1000 + p % VIDEOS);
                    Date storedAt = Date.from(base.plusSeconds(p));
                    Document first = note(user + " p" + p + " first", p, storedAt);
                    Document second = note(user + " p" + p + " second", p + 0.5, storedAt);
                    Document packet = new Document("_id", user + "/p" + p).append("user", user)
                            .append("videoKey", "vimeo:" + (1000 + p % VIDEOS)).append("videoUrl", videoUrl)
                            .append("storedAt", storedAt).append("notes", List.of(first, second));
                    Date changedAt = Date.from(base.plusSeconds(1000 + p));
                    if (p % 10 == 0) {
                        second.append("text", "").append("deleted", true).append("changedAt", changedAt).append("version", 1);
                        packet.append("deletedCount", 1).append("changedAt", changedAt);
                    } else if (p % 10 == 1) {
                        first.append("text", user + " p" + p + " edited").append("changedAt", changedAt).append("version", 1);
                        packet.append("changedAt", changedAt);
                    }
                    List<String> texts = videos.computeIfAbsent(videoUrl, key -> new ArrayList<>());
                    for (Document note : List.of(first, second)) {
                        if (!Boolean.TRUE.equals(note.getBoolean("deleted"))) {
                            texts.add(note.getString("text"));
                        }
                    }
                    packets.add(packet);
                }
                videos.values().forEach(texts -> texts.sort(null));
                expected.put(user, videos);
                database.getCollection("packets").insertMany(packets);
            }
        }
    }

    private static Document note(String text, double timestamp, Date createdAt) {
        return new Document("id", new ObjectId().toHexString()).append("text", text).append("timestamp", timestamp)
                .append("createdAt", createdAt);
    }

    /** Watches the store through the address the starting server advertises, until part of it is migrated. */
    private static long awaitSomeUsersLinked(Path dataDir, ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            String address = EmbeddedMongo.advertisedAddress(dataDir);
            if (address != null) {
                try (MongoClient client = MongoClients.create(address + "/?serverSelectionTimeoutMS=2000")) {
                    long users = client.getDatabase("notesync").getCollection("noteUsers").countDocuments();
                    if (users >= 3) {
                        return users;
                    }
                } catch (RuntimeException notYet) {
                    // The store is opening; try again.
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the migration never got under way; see " + server.log());
    }

    private static void assertEveryPacketLinkedOnceInAGaplessSequence(Path dataDir) {
        String address = EmbeddedMongo.advertisedAddress(dataDir);
        try (MongoClient client = MongoClients.create(address)) {
            MongoDatabase database = client.getDatabase("notesync");
            for (int u = 0; u < USERS; u++) {
                String user = "user-" + u;
                Document head = database.getCollection("noteUsers").find(Filters.eq("_id", user)).first();
                long seq = head.get("seq", Number.class).longValue();
                Set<String> linked = new HashSet<>();
                for (long position = 1; position <= seq; position++) {
                    Document change = database.getCollection("noteChanges").find(Filters.eq("_id", user + "/" + position)).first();
                    assertTrue(change != null, user + " has no change at " + position + " of " + seq);
                    for (Document packet : change.getList("packets", Document.class)) {
                        assertTrue(linked.add(packet.getString("_id")), packet.getString("_id") + " linked twice");
                    }
                }
                assertEquals(null, database.getCollection("noteChanges").find(Filters.eq("_id", user + "/" + (seq + 1))).first(),
                        user + "'s sequence goes past its head");
                assertEquals(PACKETS_EACH, linked.size(), user + "'s packets linked");
            }
        }
    }

    private static String get(String url, String token, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
