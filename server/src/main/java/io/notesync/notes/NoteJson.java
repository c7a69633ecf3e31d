package io.notesync.notes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A note as clients see it, in {@code fPacket} and in the HTTP API alike. */
public final class NoteJson {

    /** Always three fraction digits, like JavaScript's {@code Date.toISOString()}. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private NoteJson() {
    }

    public static Map<String, Object> of(Note note) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", note.id());
        json.put("text", note.text());
        json.put("timestamp", note.timestamp());
        json.put("createdAt", isoMillis(note.createdAt()));
        return json;
    }

    /** A stored note: as {@link #of(Note)}, plus {@code updatedAt} once its text has been edited. */
    public static Map<String, Object> of(StoredNote stored) {
        Map<String, Object> json = of(stored.note());
        if (stored.updatedAt() != null) {
            json.put("updatedAt", isoMillis(stored.updatedAt()));
        }
        return json;
    }

    public static String isoMillis(Instant instant) {
        return ISO_MILLIS.format(instant);
    }
}
