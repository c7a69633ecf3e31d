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

/** Reads a user's notes of one video back over {@code GET /api/notes}, as the web app does. */
final class NotesApi {

    private NotesApi() {
    }

    static List<String> texts(String url, String token, String videoUrl) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/api/notes?videoUrl=" + URLEncoder.encode(videoUrl, StandardCharsets.UTF_8)))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/notes answered " + response.statusCode() + ": " + response.body());
        }
        JSONArray notes = new JSONObject(response.body()).getJSONArray("notes");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < notes.length(); i++) {
            texts.add(notes.getJSONObject(i).getString("text"));
        }
        return texts;
    }
}
