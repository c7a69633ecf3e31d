package io.notesync.protocol;

import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One user's requests read that user's documents, not the store's: each is measured by how many
 * documents the embedded store's queries examined while it ran ({@code
 * notesync_store_documents_examined_total}), with other users' packets, notes and refresh tokens
 * in the store. A query the store cannot serve by index examines a whole collection, hundreds of
 * documents here; by {@code _id}, a handful.
 */
class StoreReadsTest {

    private static final String METRICS_TOKEN = "store-reads-metrics-token-0123456789";
    private static final String READER = "reader";
    private static final String LEAVER = "leaver";
    private static final String PASSWORD = "reader-password-1";
    private static final int OTHER_USERS = 5;
    private static final int PACKETS_EACH = 40;
    /** Each login of another user leaves a refresh token (and family) in the store. */
    private static final int LOGINS_EACH = 8;
    /**
     * A request's own documents: at most 9 were seen for the reader's requests (a background
     * read or two included); other users' are hundreds of packets and 40 refresh tokens.
     */
    private static final long OWN_DOCUMENTS_BOUND = 20;
    /**
     * Removing an account reads 18 of its own documents (notes, lookups, changes, tokens), and the
     * revocation it records makes each node read every revocation moment once (two here).
     */
    private static final long ACCOUNT_REMOVAL_BOUND = 30;
    private static final String VIDEO = "https://vimeo.com/100";

    private static TestServer server;

    @BeforeAll
    static void seed() throws Exception {
        server = TestServer.start(Map.of("metrics.token", METRICS_TOKEN, "auth.passwordHashCost", "4",
                "auth.refreshCleanupIntervalSeconds", "86400"));
        server.addUser(READER, PASSWORD);
        for (int u = 0; u < OTHER_USERS; u++) {
            String user = "other-" + u;
            server.addUser(user, PASSWORD);
            for (int i = 0; i < LOGINS_EACH; i++) {
                assertEquals(200, login(user).statusCode());
            }
            try (JavaClient client = JavaClient.connected(server.url(), server.token(user), WebSocket.NAME)) {
                List<CompletableFuture<JSONObject>> acks = new ArrayList<>();
                for (int p = 0; p < PACKETS_EACH; p++) {
                    acks.add(client.emitWithAck("packet", packet(user + "-" + p, "https://vimeo.com/" + (100 + p % 3),
                            "a", 1, "b", 2, "c", 3)));
                }
                for (CompletableFuture<JSONObject> ack : acks) {
                    assertTrue(ack.get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS).getBoolean("ok"));
                }
            }
        }
        // The first revocation creates its collections (mongo-java-server reads its index list then): not a request's cost.
        AccountApi.logoutAll(server.url(), AccountApi.login(server.url(), "other-0", PASSWORD));
        server.addUser(LEAVER, PASSWORD);
        assertEquals(200, login(LEAVER).statusCode());
        try (JavaClient leaver = JavaClient.connected(server.url(), server.token(LEAVER), WebSocket.NAME)) {
            assertTrue(leaver.emitWithAck("packet", packet("l-0", VIDEO, "leaving", 1))
                    .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS).getBoolean("ok"));
        }
        try (JavaClient reader = JavaClient.connected(server.url(), server.token(READER), WebSocket.NAME)) {
            for (int p = 0; p < 3; p++) {
                assertTrue(reader.emitWithAck("packet", packet("r-" + p, VIDEO, "mine " + p, p, "also " + p, p + 0.5))
                        .get(JavaClient.WAIT_SECONDS, TimeUnit.SECONDS).getBoolean("ok"));
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void readingTheNotesOfAVideoExaminesOnlyTheReadersDocuments() throws Exception {
        HttpResponse<String> response = examinedAtMostOwn("GET /api/notes", () -> get("/api/notes?videoUrl=" + encode(VIDEO)));
        assertEquals(6, new JSONObject(response.body()).getJSONArray("notes").length());
    }

    @Test
    void catchingUpSinceACursorExaminesOnlyTheReadersDocuments() throws Exception {
        String cursor = new JSONObject(get("/api/notes?videoUrl=" + encode(VIDEO)).body()).getString("cursor");
        HttpResponse<String> response = examinedAtMostOwn("GET /api/notes?since",
                () -> get("/api/notes?videoUrl=" + encode(VIDEO) + "&since=" + cursor));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void listingVideosExaminesOnlyTheReadersDocuments() throws Exception {
        HttpResponse<String> response = examinedAtMostOwn("GET /api/videos", () -> get("/api/videos"));
        JSONArray videos = new JSONObject(response.body()).getJSONArray("videos");
        assertEquals(1, videos.length());
        assertEquals(6, videos.getJSONObject(0).getInt("noteCount"));
    }

    @Test
    void editingAndDeletingANoteExamineOnlyTheReadersDocuments() throws Exception {
        JSONArray notes = new JSONObject(get("/api/notes?videoUrl=" + encode(VIDEO)).body()).getJSONArray("notes");
        String edited = notes.getJSONObject(0).getString("id");
        String deleted = notes.getJSONObject(1).getString("id");
        HttpResponse<String> edit = examinedAtMostOwn("PATCH", () -> NotesApi.edit(server.url(), server.token(READER), edited, "changed"));
        assertEquals(200, edit.statusCode(), edit.body());
        HttpResponse<String> delete = examinedAtMostOwn("DELETE", () -> NotesApi.delete(server.url(), server.token(READER), deleted));
        assertEquals(204, delete.statusCode(), delete.body());
    }

    @Test
    void loggingInAndRefreshingExamineOnlyTheReadersDocuments() throws Exception {
        HttpResponse<String> login = examinedAtMostOwn("POST /auth/login", () -> login(READER));
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        HttpResponse<String> refreshed = examinedAtMostOwn("POST /refresh", () -> http().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/refresh")).header("Cookie", cookie)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
    }

    @Test
    void exportingAndEndingEverySessionExamineOnlyTheReadersDocuments() throws Exception {
        HttpResponse<String> export = examinedAtMostOwn("GET /api/export", () -> get("/api/export"));
        assertEquals(200, export.statusCode(), export.body());
        assertTrue(export.body().contains("mine 0"), export.body());
        AccountApi.Session session = AccountApi.login(server.url(), READER, PASSWORD);
        HttpResponse<String> logoutAll = examinedAtMostOwn("POST /auth/logout-all", () -> AccountApi.logoutAll(server.url(), session));
        assertTrue(logoutAll.statusCode() / 100 == 2, logoutAll.statusCode() + " " + logoutAll.body());
    }

    @Test
    void removingAnAccountExaminesOnlyItsOwnDocuments() throws Exception {
        HttpResponse<String> removed = examinedAtMost(ACCOUNT_REMOVAL_BOUND, "DELETE /api/account",
                () -> AccountApi.deleteAccount(server.url(), server.token(LEAVER), PASSWORD));
        assertTrue(removed.statusCode() / 100 == 2, removed.statusCode() + " " + removed.body());
    }

    @FunctionalInterface
    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    private static HttpResponse<String> examinedAtMostOwn(String what, Request request) throws Exception {
        return examinedAtMost(OWN_DOCUMENTS_BOUND, what, request);
    }

    private static HttpResponse<String> examinedAtMost(long bound, String what, Request request) throws Exception {
        long before = examined();
        HttpResponse<String> response = request.send();
        long examined = examined() - before;
        assertTrue(examined <= bound, what + " examined " + examined + " documents; the store holds "
                + OTHER_USERS * PACKETS_EACH + " packets and " + OTHER_USERS * LOGINS_EACH + " refresh tokens of other users");
        System.out.println(what + " examined " + examined + " documents");
        return response;
    }

    private static long examined() throws Exception {
        HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        Matcher matcher = Pattern.compile("(?m)^notesync_store_documents_examined_total ([0-9.eE+-]+)$").matcher(response.body());
        assertTrue(matcher.find(), "no notesync_store_documents_examined_total in /metrics");
        return (long) Double.parseDouble(matcher.group(1));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + server.token(READER)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(String user) throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(server.url() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JSONObject().put("username", user).put("password", PASSWORD).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client per request: the server closes every HTTP connection a few seconds after it opened,
     * and a reused one may be closing as the next request goes out (the connection timer's issue).
     */
    private static HttpClient http() {
        return HttpClient.newHttpClient();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
