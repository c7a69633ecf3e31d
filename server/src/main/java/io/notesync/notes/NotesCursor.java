package io.notesync.notes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code since} cursor of {@code GET /api/notes}: "what this client has already seen". A packet
 * is stamped before it is written, so one stamped earlier can become visible after a later one
 * has been read; a bare timestamp would then skip it forever. The same holds for an edit or a
 * delete, stamped before its update lands. So the cursor holds the newest stamp seen and, for
 * everything stamped within {@link #OVERLAP} before it, what was seen of it: a note's id for its
 * creation, {@code id.version} for its latest edit or delete. The next read looks back that far and
 * leaves out exactly those. Nothing is missed and nothing is sent twice, as long as writes land less
 * than {@link #OVERLAP} out of order. Opaque to clients: base64url text.
 */
public record NotesCursor(Instant at, Set<String> seen) {

    public static final Duration OVERLAP = Duration.ofSeconds(5);
    private static final String SEEN_ENTRY = "[0-9a-f]{24}(\\.[0-9]{1,9})?";

    public NotesCursor {
        seen = Set.copyOf(seen);
    }

    /** The time from which a read must look, to find everything this cursor has not seen. */
    public Instant readFrom() {
        return at.minus(OVERLAP);
    }

    /** Whether the client has seen this note's creation (it was created before the overlap, or is remembered). */
    boolean sawCreation(StoredNote note) {
        return !note.note().createdAt().isAfter(readFrom()) || seen.contains(note.id());
    }

    /** Whether the client has seen this note's latest edit or delete (or it has none). */
    boolean sawLatestChange(StoredNote note) {
        return note.changedAt() == null || !note.changedAt().isAfter(readFrom()) || seen.contains(note.changeKey());
    }

    /** The cursor after a read: the newest stamp in it (or the old one), and what lies in the overlap. */
    public static NotesCursor after(NotesCursor previous, List<StoredNote> read) {
        Instant at = previous == null ? Instant.EPOCH : previous.at();
        for (StoredNote note : read) {
            at = latest(at, note.note().createdAt());
            if (note.changedAt() != null) {
                at = latest(at, note.changedAt());
            }
        }
        Instant windowStart = at.minus(OVERLAP);
        Set<String> seen = new HashSet<>();
        for (StoredNote note : read) {
            if (note.note().createdAt().isAfter(windowStart)) {
                seen.add(note.id());
            }
            if (note.changedAt() != null && note.changedAt().isAfter(windowStart)) {
                seen.add(note.changeKey());
            }
        }
        return new NotesCursor(at, seen);
    }

    private static Instant latest(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
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
                if (!parts[i].matches(SEEN_ENTRY)) {
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
