package io.notesync.notes;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code GET /api/notes} answers: without a cursor, the live notes; with one, exactly what
 * that client has not seen yet: notes created since ({@code notes}, with their current text),
 * notes it had whose text changed since ({@code updated}), and ids of notes deleted since
 * ({@code deleted}). A note created and deleted since is reported as deleted (the client may have
 * shown it from {@code fPacket}); a note created and edited since only under {@code notes}.
 */
public record CatchUp(List<StoredNote> notes, List<StoredNote> updated, List<String> deleted, NotesCursor cursor) {

    public CatchUp {
        notes = List.copyOf(notes);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
    }

    /** @param read a repository read from {@code since.readFrom()} (or of everything, when {@code since} is null) */
    public static CatchUp of(NotesCursor since, List<StoredNote> read) {
        List<StoredNote> notes = new ArrayList<>();
        List<StoredNote> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (StoredNote note : read) {
            if (since == null) {
                if (!note.deleted()) {
                    notes.add(note);
                }
            } else if (note.deleted()) {
                if (!since.sawLatestChange(note)) {
                    deleted.add(note.id());
                }
            } else if (!since.sawCreation(note)) {
                notes.add(note);
            } else if (!since.sawLatestChange(note)) {
                updated.add(note);
            }
        }
        return new CatchUp(notes, updated, deleted, NotesCursor.after(since, read));
    }
}
