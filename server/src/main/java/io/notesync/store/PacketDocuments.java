package io.notesync.store;

import io.notesync.notes.Note;
import io.notesync.notes.StoredNote;
import io.notesync.notes.StoredPacket;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The stored shape: one document per packet, its notes embedded. One document per packet makes a
 * packet stored whole or not at all without transactions, and bounds every document by the packet
 * size limit. The {@code _id} is the string {@code username + "/" + packetId}, so the
 * always-unique {@code _id} index is the idempotency key on any MongoDB, the embedded one
 * included. It is unambiguous because a packetId cannot contain {@code /}: the last {@code /}
 * separates the two.
 *
 * <p>A string, not a sub-document such as {@code {u, p}}: the embedded store (mongo-java-server
 * with H2) keys its data map by the {@code _id} value, and a sub-document key is compared by Java
 * serialization on every B-tree step, which made it the most expensive part of an insert
 * (docs/benchmark.md, "Measured outside the benchmark"). A real MongoDB
 * indexes either form equally well.
 *
 * <p>An edit or a delete changes one note of the document in place, in one update (atomic on a
 * single document, so no transaction is needed): the note gets {@code changedAt} and a
 * {@code version} one higher, a deleted one {@code deleted: true} and empty text (a tombstone: it
 * keeps the id known, so the deletion can be reported to {@code since} and deleting again is
 * idempotent), and the packet gets {@code changedAt} (the newest) and {@code deletedCount}. The
 * document, and so its {@code _id}, stays even when every note is deleted: a resend of the packet
 * is still a {@code duplicate} and never brings a note back nor undoes an edit.
 */
final class PacketDocuments {

    static final String USER = "user";
    static final String VIDEO_KEY = "videoKey";
    static final String VIDEO_URL = "videoUrl";
    static final String STORED_AT = "storedAt";
    static final String NOTES = "notes";
    /** Packet level: the newest edit or delete of any of its notes (absent: none), for {@code since} reads. */
    static final String CHANGED_AT = "changedAt";
    /** Packet level: how many of its notes are deleted tombstones (absent: none), for note counts. */
    static final String DELETED_COUNT = "deletedCount";
    /** Note level fields; {@code changedAt}, {@code version} and {@code deleted} appear after the first edit or delete. */
    static final String NOTE_ID = "id";
    static final String NOTE_TEXT = "text";
    static final String NOTE_CHANGED_AT = "changedAt";
    static final String NOTE_VERSION = "version";
    static final String NOTE_DELETED = "deleted";

    private PacketDocuments() {
    }

    static String id(String username, String packetId) {
        return username + "/" + packetId;
    }

    static Document toDocument(StoredPacket packet) {
        List<Document> notes = new ArrayList<>(packet.notes().size());
        for (Note note : packet.notes()) {
            notes.add(new Document("id", note.id())
                    .append("text", note.text())
                    .append("timestamp", note.timestamp())
                    .append("createdAt", Date.from(note.createdAt())));
        }
        return new Document("_id", id(packet.username(), packet.packetId()))
                .append(USER, packet.username())
                .append(VIDEO_KEY, packet.video().key())
                .append(VIDEO_URL, packet.video().url())
                .append(STORED_AT, Date.from(packet.storedAt()))
                .append(NOTES, notes);
    }

    static List<StoredNote> notesOf(Document packet) {
        List<StoredNote> notes = new ArrayList<>();
        for (Document note : packet.getList(NOTES, Document.class)) {
            notes.add(noteOf(note));
        }
        return notes;
    }

    static StoredNote noteOf(Document note) {
        Date changedAt = note.getDate(NOTE_CHANGED_AT);
        Number version = (Number) note.get(NOTE_VERSION);
        return new StoredNote(
                new Note(note.getString(NOTE_ID), note.getString(NOTE_TEXT),
                        ((Number) note.get("timestamp")).doubleValue(), note.getDate("createdAt").toInstant()),
                changedAt == null ? null : changedAt.toInstant(),
                version == null ? 0 : version.intValue(),
                Boolean.TRUE.equals(note.getBoolean(NOTE_DELETED)));
    }

    /** The note {@code noteId} of a packet document, or null. */
    static StoredNote noteOf(Document packet, String noteId) {
        for (Document note : packet.getList(NOTES, Document.class)) {
            if (noteId.equals(note.getString(NOTE_ID))) {
                return noteOf(note);
            }
        }
        return null;
    }
}
