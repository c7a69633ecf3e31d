package io.notesync.notes;

/** A note as the client sent it, after cleaning and validation: not stored yet, so no id or time. */
public record NoteDraft(String text, double timestamp) {
}
