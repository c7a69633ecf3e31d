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
 * size limit. The {@code _id} is the string {@code username + "/" + packetId}, so the
 * always-unique {@code _id} index is the idempotency key on any MongoDB, the embedded one
 * included. It is unambiguous because a packetId cannot contain {@code /}: the last {@code /}
 * separates the two.
 *
 * <p>A string, not a sub-document such as {@code {u, p}}: the embedded store (mongo-java-server
 * with H2) keys its data map by the {@code _id} value, and a sub-document key is compared by Java
 * serialization on every B-tree step, which made it the most expensive part of an insert
 * (JFR; 241 against 869 documents/s in batches of 100 through the driver). A real MongoDB
 * indexes either form equally well.
 */
final class PacketDocuments {

    static final String USER = "user";
    static final String VIDEO_KEY = "videoKey";
    static final String VIDEO_URL = "videoUrl";
    static final String STORED_AT = "storedAt";
    static final String NOTES = "notes";

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
