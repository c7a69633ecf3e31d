package io.notesync.http;

import io.notesync.notes.NoteJson;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.VideoSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/videos}: the user's videos with notes, each with its note count and last change. Blocking. */
public final class VideoRoutes {

    private final BearerAuth bearer;
    private final NoteRepository repository;

    public VideoRoutes(BearerAuth bearer, NoteRepository repository) {
        this.bearer = bearer;
        this.repository = repository;
    }

    HttpAnswer list(HttpRequestData request) {
        String username = bearer.username(request);
        List<Map<String, Object>> videos = new ArrayList<>();
        for (VideoSummary summary : repository.videosOf(username)) {
            Map<String, Object> video = new LinkedHashMap<>();
            video.put("videoKey", summary.videoKey());
            video.put("videoUrl", summary.videoUrl());
            video.put("noteCount", summary.noteCount());
            video.put("lastUpdated", NoteJson.isoMillis(summary.lastUpdated()));
            videos.add(video);
        }
        return HttpAnswer.ok(Map.of("videos", videos));
    }
}
