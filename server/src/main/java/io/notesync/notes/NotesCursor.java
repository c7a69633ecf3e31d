package io.notesync.notes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code since} cursor of {@code GET /api/notes}: "what this client has already seen". A packet
 * is stamped before it is written, so one stamped earlier can become visible after a later one
 * has been read; a bare timestamp would then skip it forever. So the cursor holds the newest stamp
 * seen and the ids of the notes seen within {@link #OVERLAP} before it: the next read looks back
 * that far and leaves out exactly those ids. Nothing is missed and nothing is sent twice, as long
 * as writes land less than {@link #OVERLAP} out of order. Opaque to clients: base64url text.
 */
public record NotesCursor(Instant at, Set<String> seen) {

    public static final Duration OVERLAP = Duration.ofSeconds(5);

    public NotesCursor {
        seen = Set.copyOf(seen);
    }

    /** The time from which a read must look, to find everything this cursor has not seen. */
    public Instant readFrom() {
        return at.minus(OVERLAP);
    }

    /** The notes of {@code read} (a read from {@link #readFrom()}, or of everything) this cursor has not seen. */
    public static List<Note> unseen(NotesCursor cursor, List<Note> read) {
        if (cursor == null) {
            return read;
        }
        List<Note> unseen = new ArrayList<>(read.size());
        for (Note note : read) {
            if (!cursor.seen().contains(note.id())) {
                unseen.add(note);
            }
        }
        return unseen;
    }

    /** The cursor after a read: the newest stamp in it (or the old one), and what lies in the overlap. */
    public static NotesCursor after(NotesCursor previous, List<Note> read) {
        Instant at = previous == null ? Instant.EPOCH : previous.at();
        for (Note note : read) {
            if (note.createdAt().isAfter(at)) {
                at = note.createdAt();
            }
        }
        Instant windowStart = at.minus(OVERLAP);
        Set<String> seen = new HashSet<>();
        for (Note note : read) {
            if (note.createdAt().isAfter(windowStart)) {
                seen.add(note.id());
            }
        }
        return new NotesCursor(at, seen);
    }

    public String encode() {
        String text = at.toEpochMilli() + (seen.isEmpty() ? "" : "," + String.join(",", seen));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor this server wrote */
    public static NotesCursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(",", -1);
            Set<String> seen = new HashSet<>();
            for (int i = 1; i < parts.length; i++) {
                if (!parts[i].matches("[0-9a-f]{24}")) {
                    throw new IllegalArgumentException("not a note id: " + parts[i]);
                }
                seen.add(parts[i]);
            }
            return new NotesCursor(Instant.ofEpochMilli(Long.parseLong(parts[0])), seen);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("since must be a cursor from an earlier answer", e);
        }
    }
}
