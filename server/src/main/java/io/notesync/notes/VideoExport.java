package io.notesync.notes;

import java.util.List;

/**
 * One video of a user's export: its key, canonical URL and live notes (deleted ones left out),
 * ordered by timestamp, then createdAt. Edited notes carry their latest text and {@code changedAt}.
 */
public record VideoExport(String videoKey, String videoUrl, List<StoredNote> notes) {
}
