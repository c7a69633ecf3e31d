package io.notesync.notes;

/** What {@code DELETE /api/notes/{id}} found: deleted now (then {@code videoKey} is set), already deleted, or not the user's note. */
public record DeleteOutcome(Kind kind, String videoKey) {

    public enum Kind { DELETED, ALREADY_DELETED, NOT_FOUND }

    public static DeleteOutcome deleted(String videoKey) {
        return new DeleteOutcome(Kind.DELETED, videoKey);
    }

    public static final DeleteOutcome ALREADY_DELETED = new DeleteOutcome(Kind.ALREADY_DELETED, null);
    public static final DeleteOutcome NOT_FOUND = new DeleteOutcome(Kind.NOT_FOUND, null);
}
