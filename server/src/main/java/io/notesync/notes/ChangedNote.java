package io.notesync.notes;

/** A note after an edit or a delete, with the video it belongs to (what the live events name). */
public record ChangedNote(String videoKey, StoredNote note) {
}
