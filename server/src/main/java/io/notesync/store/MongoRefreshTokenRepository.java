package io.notesync.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
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
import java.util.ArrayList;
import java.util.Date;

/**
 * Refresh tokens in {@code refreshTokens} ({@code _id}: the token's SHA-256) and their families in
 * {@code refreshFamilies} ({@code _id}: a random id). Every request's query is an equality (or
 * {@code $in}) on {@code _id}, so its cost is one user's tokens on the embedded store too;
 * rotation is one insert of a marker ({@link #markRotated}), so of two concurrent refreshes
 * exactly one rotates. Expired
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
            // For the sweep on a real MongoDB; the embedded store accepts and ignores it (STACK.md).
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

    /** By {@code _id}; a family revoked already keeps its first moment (two revokers racing both write "revoked"). */
    @Override
    public boolean isFamilyRevoked(String family) {
        Document found = call(() -> families.find(Filters.eq("_id", family)).first());
        return found == null || found.get(REVOKED_AT) != null;
    }

    @Override
    public void revokeFamily(String family, Instant at) {
        Document found = call(() -> families.find(Filters.eq("_id", family)).projection(new Document(REVOKED_AT, 1)).first());
        if (found != null && found.get(REVOKED_AT) == null) {
            run(() -> families.updateOne(Filters.eq("_id", family), Updates.set(REVOKED_AT, Date.from(at))));
        }
    }

    @Override
    public void insert(StoredToken token) {
        run(() -> tokens.insertOne(new Document("_id", token.hash()).append(FAMILY, token.family())
                .append(USER, token.username()).append(EXPIRES_AT, Date.from(token.expiresAt()))
                .append(ROTATED_AT, null)));
    }

    /** The token and its rotation marker, in one {@code $in} on {@code _id}. */
    @Override
    public StoredToken find(String hash) {
        Document found = null;
        Date rotatedAt = null;
        for (Document document : call(() -> tokens.find(Filters.in("_id", hash, rotationId(hash))).into(new ArrayList<>()))) {
            if (hash.equals(document.getString("_id"))) {
                found = document;
            } else {
                rotatedAt = document.getDate(ROTATED_AT);
            }
        }
        if (found == null) {
            return null;
        }
        if (rotatedAt == null) {
            // Rotated before markers existed (the older layout marked the token itself).
            rotatedAt = found.getDate(ROTATED_AT);
        }
        return new StoredToken(found.getString("_id"), found.getString(FAMILY), found.getString(USER),
                found.getDate(EXPIRES_AT).toInstant(), rotatedAt == null ? null : rotatedAt.toInstant());
    }

    /**
     * The compare-and-set of a rotation is the insert of its marker, {@code _id} "rotated:" + hash:
     * exactly one caller inserts it. (A filter on {@code rotatedAt} as well as {@code _id} would be
     * served by the {@code _id} index on a real MongoDB, but would scan every token on the embedded
     * store.) The marker expires with the token, so the sweep removes both.
     */
    @Override
    public boolean markRotated(String hash, Instant at, String successorHash) {
        Document token = call(() -> tokens.find(Filters.eq("_id", hash)).projection(new Document(EXPIRES_AT, 1)).first());
        if (token == null) {
            return false;
        }
        try {
            tokens.insertOne(new Document("_id", rotationId(hash)).append(ROTATED_AT, Date.from(at))
                    .append(SUCCESSOR, successorHash).append(EXPIRES_AT, token.getDate(EXPIRES_AT)));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw new StorageUnavailableException("refresh tokens: " + e.getMessage(), e);
        } catch (MongoException e) {
            throw new StorageUnavailableException("refresh tokens: " + e.getMessage(), e);
        }
    }

    /** Token ids are hex SHA-256 hashes, so no token has this id. */
    private static String rotationId(String hash) {
        return "rotated:" + hash;
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
