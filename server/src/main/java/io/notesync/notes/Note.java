package io.notesync.notes;

import java.time.Instant;

/** A stored note: cleaned text at a position of the video, stamped by the server. */
public record Note(String id, String text, double timestamp, Instant createdAt) {
}
