package io.notesync.store;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.notesync.auth.RevocationRepository;
import io.notesync.storage.StorageUnavailableException;
import org.bson.Document;

import java.util.HashMap;
import java.util.Map;

/**
 * Revocation moments in {@code revocations} ({@code _id}: the username, {@code at}: epoch
 * seconds), never deleted, and one document {@code {_id: "latest", seq}} in
 * {@code revocationChanges} whose {@code seq} grows with every revocation. Every node reads that
 * one document by {@code _id} once a second (cheap on the embedded store, which scans for
 * anything that is not an equality on {@code _id}); only when it moved are the moments read.
 */
public final class MongoRevocationRepository implements RevocationRepository {

    static final String COLLECTION = "revocations";
    static final String CHANGES = "revocationChanges";
    private static final String AT = "at";
    private static final String SEQ = "seq";
    private static final String LATEST = "latest";

    private final MongoCollection<Document> revocations;
    private final MongoCollection<Document> changes;

    public MongoRevocationRepository(MongoDatabase database) {
        this.revocations = database.getCollection(COLLECTION);
        this.changes = database.getCollection(CHANGES);
    }

    @Override
    public void revoke(String username, long epochSecond) {
        try {
            revocations.updateOne(Filters.eq("_id", username), Updates.max(AT, epochSecond), new UpdateOptions().upsert(true));
            changes.updateOne(Filters.eq("_id", LATEST), Updates.inc(SEQ, 1L), new UpdateOptions().upsert(true));
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot record the revocation: " + e.getMessage(), e);
        }
    }

    @Override
    public long changeMark() {
        try {
            Document latest = changes.find(Filters.eq("_id", LATEST)).first();
            return latest == null ? 0 : ((Number) latest.get(SEQ)).longValue();
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read revocations: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> all() {
        Map<String, Long> all = new HashMap<>();
        try {
            for (Document revocation : revocations.find()) {
                all.put(revocation.getString("_id"), ((Number) revocation.get(AT)).longValue());
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read revocations: " + e.getMessage(), e);
        }
        return all;
    }
}
