package io.notesync.store;

import io.notesync.notes.Note;
import io.notesync.notes.StoredPacket;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The stored shape: one document per packet, its notes embedded. One document per packet makes a
 * packet stored whole or not at all without transactions, and bounds every document by the packet
 * size limit. The {@code _id} is {@code {u: username, p: packetId}}, so the always-unique
 * {@code _id} index is the idempotency key on any MongoDB, the embedded one included.
 */
final class PacketDocuments {

    static final String USER = "user";
    static final String VIDEO_KEY = "videoKey";
    static final String VIDEO_URL = "videoUrl";
    static final String STORED_AT = "storedAt";
    static final String NOTES = "notes";

    private PacketDocuments() {
    }

    static Document id(String username, String packetId) {
        return new Document("u", username).append("p", packetId);
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

    static List<Note> notesOf(Document packet) {
        List<Note> notes = new ArrayList<>();
        for (Document note : packet.getList(NOTES, Document.class)) {
            notes.add(new Note(
                    note.getString("id"),
                    note.getString("text"),
                    ((Number) note.get("timestamp")).doubleValue(),
                    note.getDate("createdAt").toInstant()));
        }
        return notes;
    }
}
