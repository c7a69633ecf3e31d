package io.notesync.notes;

/**
 * The canonical identity of a video: notes reached through different URLs of the same video
 * share one {@code key}; {@code url} is the canonical URL shown back to clients.
 */
public record Video(String key, String url) {
}
