package io.notesync.notes;

/**
 * The body of {@code PATCH /api/notes/{id}}: its {@code text}, cleaned and limited exactly like a
 * packet note's (docs/protocol.md, "Cleaning the strings"). Empty after cleaning is refused rather
 * than stored: deleting is what DELETE is for.
 */
public final class NoteEdit {

    private NoteEdit() {
    }

    /** The cleaned text, or the problem with it (field {@code text}). */
    public sealed interface Result permits Text, Problem {
    }

    public record Text(String text) implements Result {
    }

    public record Problem(PacketProblem.Kind kind, String field, String message) implements Result {
    }

    public static Result text(Object value, PacketLimits limits) {
        if (!(value instanceof String raw)) {
            return new Problem(PacketProblem.Kind.INVALID, "text",
                    value == null ? "text is required (a string)" : "text must be a string");
        }
        String cleaned = TextCleaner.clean(raw);
        String tooLong = limits.noteTooLong("text", cleaned);
        if (tooLong != null) {
            return new Problem(PacketProblem.Kind.TOO_LARGE, "text", tooLong);
        }
        if (cleaned.isEmpty()) {
            return new Problem(PacketProblem.Kind.INVALID, "text",
                    "text was empty after cleaning; delete the note instead");
        }
        return new Text(cleaned);
    }
}
