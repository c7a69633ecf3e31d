package io.notesync.protocol;

import org.json.JSONArray;
import org.json.JSONObject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A user's notes of one video over the HTTP API, as the web app reads, edits and deletes them. */
final class NotesApi {

    private NotesApi() {
    }

    static List<String> texts(String url, String token, String videoUrl) throws Exception {
        JSONArray notes = notes(url, token, videoUrl);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < notes.length(); i++) {
            texts.add(notes.getJSONObject(i).getString("text"));
        }
        return texts;
    }

    static JSONArray notes(String url, String token, String videoUrl) throws Exception {
        HttpResponse<String> response = send(url, token, HttpRequest.newBuilder(
                URI.create(url + "/api/notes?videoUrl=" + URLEncoder.encode(videoUrl, StandardCharsets.UTF_8))).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/notes answered " + response.statusCode() + ": " + response.body());
        }
        return new JSONObject(response.body()).getJSONArray("notes");
    }

    /** PATCH /api/notes/{id} with {@code {text}}: the status and body. */
    static HttpResponse<String> edit(String url, String token, String noteId, String text) throws Exception {
        return send(url, token, HttpRequest.newBuilder(URI.create(url + "/api/notes/" + noteId))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(new JSONObject().put("text", text).toString())));
    }

    /** DELETE /api/notes/{id}: the status and body. */
    static HttpResponse<String> delete(String url, String token, String noteId) throws Exception {
        return send(url, token, HttpRequest.newBuilder(URI.create(url + "/api/notes/" + noteId)).DELETE());
    }

    private static HttpResponse<String> send(String url, String token, HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
