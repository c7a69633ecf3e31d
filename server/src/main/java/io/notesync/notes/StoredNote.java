package io.notesync.notes;

import java.time.Instant;

/**
 * A note as the database holds it, with what catching up needs: {@code changedAt} is when it was
 * last edited or deleted (null: never), {@code version} counts those changes, so "this client has
 * seen change 2 of note X" can be told apart from change 3. A deleted note stays as a tombstone
 * (its text emptied) so that {@code since} can report the deletion and a resent packet cannot
 * bring it back.
 */
public record StoredNote(Note note, Instant changedAt, int version, boolean deleted) {

    public String id() {
        return note.id();
    }

    /** When the text was last edited; null for a note never edited (or deleted). */
    public Instant updatedAt() {
        return deleted ? null : changedAt;
    }

    /** The key under which a cursor remembers having seen this note's latest change. */
    String changeKey() {
        return note.id() + "." + version;
    }
}
