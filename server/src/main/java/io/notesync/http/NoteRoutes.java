package io.notesync.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.notesync.notes.CatchUp;
import io.notesync.notes.ChangedNote;
import io.notesync.notes.DeleteOutcome;
import io.notesync.notes.InvalidVideoUrlException;
import io.notesync.notes.NoteEdit;
import io.notesync.notes.NoteJson;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.NotesCursor;
import io.notesync.notes.PacketLimits;
import io.notesync.notes.PacketProblem;
import io.notesync.notes.StoredNote;
import io.notesync.notes.Video;
import io.notesync.notes.VideoUrls;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/notes}, {@code PATCH /api/notes/{id}} and {@code DELETE /api/notes/{id}}: blocking
 * (the database), run on the HTTP executor. An edit or a delete is announced to every socket of
 * the user ({@code noteUpdated}, {@code noteDeleted}) after the database acknowledged it, and
 * only then answered.
 */
public final class NoteRoutes {

    static final String NOTE_PATH_PREFIX = "/api/notes/";
    static final String NOTE_UPDATED = "noteUpdated";
    static final String NOTE_DELETED = "noteDeleted";
    private static final Logger log = LoggerFactory.getLogger(NoteRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Note ids are ObjectIds in hex; anything else cannot be one of the user's notes. */
    private static final Pattern NOTE_ID = Pattern.compile("[0-9a-f]{24}");

    private final BearerAuth auth;
    private final NoteRepository repository;
    private final PacketLimits limits;
    private final UserEvents events;
    private final Clock clock;

    public NoteRoutes(BearerAuth auth, NoteRepository repository, PacketLimits limits, UserEvents events, Clock clock) {
        this.auth = auth;
        this.repository = repository;
        this.limits = limits;
        this.events = events;
        this.clock = clock;
    }

    HttpAnswer list(HttpRequestData request) {
        String username = auth.username(request);
        String videoUrl = request.single("videoUrl");
        if (videoUrl == null) {
            throw HttpError.badRequest("the videoUrl query parameter is required");
        }
        Video video;
        try {
            video = VideoUrls.canonicalize(videoUrl);
        } catch (InvalidVideoUrlException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        NotesCursor since = parseSince(request.single("since"));
        CatchUp catchUp = CatchUp.of(since, repository.read(username, video.key(), since == null ? null : since.readFrom()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("videoKey", video.key());
        body.put("videoUrl", video.url());
        body.put("notes", json(catchUp.notes()));
        body.put("updated", json(catchUp.updated()));
        body.put("deleted", catchUp.deleted());
        body.put("cursor", catchUp.cursor().encode());
        return HttpAnswer.ok(body);
    }

    HttpAnswer edit(HttpRequestData request) {
        String username = auth.username(request);
        String noteId = noteId(request.path());
        NoteEdit.Result result = NoteEdit.text(parseObject(request.body()).get("text"), limits);
        if (result instanceof NoteEdit.Problem problem) {
            throw problem.kind() == PacketProblem.Kind.TOO_LARGE
                    ? HttpError.tooLarge(problem.field(), problem.message())
                    : HttpError.badRequest(problem.field(), problem.message());
        }
        String text = ((NoteEdit.Text) result).text();
        Optional<ChangedNote> changed = repository.edit(username, noteId, text, now());
        if (changed.isEmpty()) {
            throw noSuchNote();
        }
        Map<String, Object> note = NoteJson.of(changed.get().note());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("videoKey", changed.get().videoKey());
        event.put("note", note);
        events.toEverySocket(username, NOTE_UPDATED, event);
        log.info("note {} of {} edited ({})", noteId, LogText.of(username), LogText.of(logName(changed.get().videoKey())));
        return HttpAnswer.ok(note);
    }

    HttpAnswer delete(HttpRequestData request) {
        String username = auth.username(request);
        String noteId = noteId(request.path());
        DeleteOutcome outcome = repository.delete(username, noteId, now());
        if (outcome.kind() == DeleteOutcome.Kind.NOT_FOUND) {
            throw noSuchNote();
        }
        if (outcome.kind() == DeleteOutcome.Kind.DELETED) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("videoKey", outcome.videoKey());
            event.put("id", noteId);
            events.toEverySocket(username, NOTE_DELETED, event);
            log.info("note {} of {} deleted ({})", noteId, LogText.of(username), LogText.of(logName(outcome.videoKey())));
        }
        return new HttpAnswer(HttpResponseStatus.NO_CONTENT, null, List.of());
    }

    /** A video key as the log names it: no query or fragment of a URL that is not a known video site. */
    private static String logName(String videoKey) {
        return videoKey.startsWith(VideoUrls.URL_KEY_PREFIX) ? Video.hostAndPath(videoKey) : videoKey;
    }

    /** Millisecond precision: what MongoDB keeps, so the event and a later read agree. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A malformed id is answered like an unknown one: neither names a note of this user. */
    private static String noteId(String path) {
        String id = path.substring(NOTE_PATH_PREFIX.length());
        if (!NOTE_ID.matcher(id).matches()) {
            throw noSuchNote();
        }
        return id;
    }

    /** One answer for an unknown id and another user's: it does not tell whether the id exists. */
    private static HttpError noSuchNote() {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "notFound", "you have no note with this id");
    }

    private static List<Map<String, Object>> json(List<StoredNote> notes) {
        List<Map<String, Object>> json = new ArrayList<>(notes.size());
        for (StoredNote note : notes) {
            json.add(NoteJson.of(note));
        }
        return json;
    }

    private static NotesCursor parseSince(String since) {
        if (since == null || since.isEmpty()) {
            return null;
        }
        try {
            return NotesCursor.decode(since);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("since", "since must be a cursor from an earlier answer");
        }
    }

    private static Map<?, ?> parseObject(byte[] body) {
        try {
            Object parsed = body.length == 0 ? null : JSON.readValue(body, Object.class);
            if (!(parsed instanceof Map<?, ?> object)) {
                throw HttpError.badRequest("the body must be a JSON object {\"text\": string}");
            }
            return object;
        } catch (IOException e) {
            throw HttpError.badRequest("the body is not valid JSON");
        }
    }
}
