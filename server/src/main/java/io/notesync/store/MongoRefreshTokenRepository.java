package io.notesync.store;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.notesync.auth.RefreshTokenRepository;
import io.notesync.storage.StorageUnavailableException;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;

/**
 * Refresh tokens in {@code refreshTokens} ({@code _id}: the token's SHA-256) and their families in
 * {@code refreshFamilies} ({@code _id}: a random id). Every check is an equality on {@code _id};
 * rotation is one conditional update, so of two concurrent refreshes exactly one rotates. Expired
 * documents are deleted by {@link #deleteExpired} (no TTL index: the embedded store has none).
 */
public final class MongoRefreshTokenRepository implements RefreshTokenRepository {

    static final String TOKENS = "refreshTokens";
    static final String FAMILIES = "refreshFamilies";
    private static final String FAMILY = "family";
    private static final String USER = "user";
    private static final String EXPIRES_AT = "expiresAt";
    private static final String ROTATED_AT = "rotatedAt";
    private static final String SUCCESSOR = "successor";
    private static final String REVOKED_AT = "revokedAt";

    private final MongoCollection<Document> tokens;
    private final MongoCollection<Document> families;

    public MongoRefreshTokenRepository(MongoDatabase database) {
        this.tokens = database.getCollection(TOKENS);
        this.families = database.getCollection(FAMILIES);
        try {
            // For the sweep on a real MongoDB; the embedded store (mongo-java-server) accepts and ignores it.
            tokens.createIndex(Indexes.ascending(EXPIRES_AT), new IndexOptions().name("expiresAt"));
            families.createIndex(Indexes.ascending(EXPIRES_AT), new IndexOptions().name("expiresAt"));
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot reach MongoDB to create indexes: " + e.getMessage(), e);
        }
    }

    @Override
    public void createFamily(String family, String username, Instant expiresAt) {
        run(() -> families.insertOne(new Document("_id", family).append(USER, username)
                .append(EXPIRES_AT, Date.from(expiresAt)).append(REVOKED_AT, null)));
    }

    @Override
    public void extendFamily(String family, Instant expiresAt) {
        run(() -> families.updateOne(Filters.eq("_id", family), Updates.max(EXPIRES_AT, Date.from(expiresAt))));
    }

    @Override
    public boolean isFamilyRevoked(String family) {
        Document found = call(() -> families.find(Filters.eq("_id", family)).first());
        return found == null || found.get(REVOKED_AT) != null;
    }

    @Override
    public void revokeFamily(String family, Instant at) {
        run(() -> families.updateOne(Filters.and(Filters.eq("_id", family), Filters.eq(REVOKED_AT, null)),
                Updates.set(REVOKED_AT, Date.from(at))));
    }

    /** A scan of the families on the embedded store (USER is not its _id); rare: an account change. */
    @Override
    public void revokeAllOf(String username, Instant at) {
        run(() -> families.updateMany(Filters.and(Filters.eq(USER, username), Filters.eq(REVOKED_AT, null)),
                Updates.set(REVOKED_AT, Date.from(at))));
    }

    @Override
    public long deleteAllOf(String username) {
        long deleted = call(() -> tokens.deleteMany(Filters.eq(USER, username)).getDeletedCount());
        run(() -> families.deleteMany(Filters.eq(USER, username)));
        return deleted;
    }

    @Override
    public void insert(StoredToken token) {
        run(() -> tokens.insertOne(new Document("_id", token.hash()).append(FAMILY, token.family())
                .append(USER, token.username()).append(EXPIRES_AT, Date.from(token.expiresAt()))
                .append(ROTATED_AT, null)));
    }

    @Override
    public StoredToken find(String hash) {
        Document found = call(() -> tokens.find(Filters.eq("_id", hash)).first());
        if (found == null) {
            return null;
        }
        Date rotatedAt = found.getDate(ROTATED_AT);
        return new StoredToken(found.getString("_id"), found.getString(FAMILY), found.getString(USER),
                found.getDate(EXPIRES_AT).toInstant(), rotatedAt == null ? null : rotatedAt.toInstant());
    }

    @Override
    public boolean markRotated(String hash, Instant at, String successorHash) {
        return call(() -> tokens.updateOne(Filters.and(Filters.eq("_id", hash), Filters.eq(ROTATED_AT, null)),
                Updates.combine(Updates.set(ROTATED_AT, Date.from(at)), Updates.set(SUCCESSOR, successorHash)))
                .getModifiedCount() == 1);
    }

    @Override
    public long deleteExpired(Instant now) {
        Date cutoff = Date.from(now);
        long deleted = call(() -> tokens.deleteMany(Filters.lte(EXPIRES_AT, cutoff)).getDeletedCount());
        run(() -> families.deleteMany(Filters.lte(EXPIRES_AT, cutoff)));
        return deleted;
    }

    private static void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    private static <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            throw new StorageUnavailableException("refresh tokens: " + e.getMessage(), e);
        }
    }
}
