package io.notesync.notes;

import java.time.Instant;

/** One of a user's videos with how many notes it has and when the last arrived. */
public record VideoSummary(String videoKey, String videoUrl, long noteCount, Instant lastUpdated) {
}
