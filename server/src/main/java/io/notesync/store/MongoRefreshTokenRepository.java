package io.notesync.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.notesync.auth.RefreshTokenRepository;
import io.notesync.storage.StorageUnavailableException;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refresh tokens in {@code refreshTokens} ({@code _id}: the token's SHA-256) and their families in
 * {@code refreshFamilies} ({@code _id}: a random id). Every request's query is an equality (or
 * {@code $in}) on {@code _id}, so its cost is one user's tokens on the embedded store too;
 * rotation is one insert of a marker ({@link #markRotated}), so of two concurrent refreshes
 * exactly one rotates. What one user holds is listed in {@code refreshUsers} ({@code _id}: the
 * username; {@code families}, {@code tokens}), so revoking or deleting everything of a user is
 * {@code $in} on {@code _id} too. Expired documents are deleted by {@link #deleteExpired} (no TTL
 * index: the embedded store has none), which scans (a periodic sweep, not a request) and prunes
 * the lists.
 */
public final class MongoRefreshTokenRepository implements RefreshTokenRepository {

    static final String TOKENS = "refreshTokens";
    static final String FAMILIES = "refreshFamilies";
    static final String USERS = "refreshUsers";
    static final String USER_FAMILIES = "families";
    static final String USER_TOKENS = "tokens";
    private static final String FAMILY = "family";
    private static final String USER = "user";
    private static final String EXPIRES_AT = "expiresAt";
    private static final String ROTATED_AT = "rotatedAt";
    private static final String SUCCESSOR = "successor";
    private static final String REVOKED_AT = "revokedAt";

    private final MongoCollection<Document> tokens;
    private final MongoCollection<Document> families;
    private final MongoCollection<Document> users;

    public MongoRefreshTokenRepository(MongoDatabase database) {
        this.tokens = database.getCollection(TOKENS);
        this.families = database.getCollection(FAMILIES);
        this.users = database.getCollection(USERS);
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
        // Listed first: a family in the list but never created is harmless; one created but not listed would escape revokeAllOf.
        run(() -> users.updateOne(Filters.eq("_id", username), Updates.addToSet(USER_FAMILIES, family), new UpdateOptions().upsert(true)));
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

    /** The user's list, then the families not revoked yet, each by {@code _id}. */
    @Override
    public void revokeAllOf(String username, Instant at) {
        List<String> listed = listed(username, USER_FAMILIES);
        if (listed.isEmpty()) {
            return;
        }
        List<String> live = new ArrayList<>();
        for (Document family : call(() -> families.find(Filters.in("_id", listed)).projection(new Document(REVOKED_AT, 1))
                .into(new ArrayList<>()))) {
            if (family.get(REVOKED_AT) == null) {
                live.add(family.getString("_id"));
            }
        }
        if (!live.isEmpty()) {
            run(() -> families.updateMany(Filters.in("_id", live), Updates.set(REVOKED_AT, Date.from(at))));
        }
    }

    /** The user's tokens (with their rotation markers) and families by {@code _id}, then the list. */
    @Override
    public long deleteAllOf(String username) {
        List<String> hashes = listed(username, USER_TOKENS);
        List<String> markers = new ArrayList<>();
        for (String hash : hashes) {
            markers.add(rotationId(hash));
        }
        long deleted = hashes.isEmpty() ? 0 : call(() -> tokens.deleteMany(Filters.in("_id", hashes)).getDeletedCount());
        if (!markers.isEmpty()) {
            run(() -> tokens.deleteMany(Filters.in("_id", markers)));
        }
        List<String> listedFamilies = listed(username, USER_FAMILIES);
        if (!listedFamilies.isEmpty()) {
            run(() -> families.deleteMany(Filters.in("_id", listedFamilies)));
        }
        run(() -> users.deleteOne(Filters.eq("_id", username)));
        return deleted;
    }

    private List<String> listed(String username, String field) {
        Document user = call(() -> users.find(Filters.eq("_id", username)).first());
        return user == null ? List.of() : user.getList(field, String.class, List.of());
    }

    @Override
    public void insert(StoredToken token) {
        run(() -> users.updateOne(Filters.eq("_id", token.username()), Updates.addToSet(USER_TOKENS, token.hash()),
                new UpdateOptions().upsert(true)));
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
        prune(tokens, cutoff, USER_TOKENS);
        prune(families, cutoff, USER_FAMILIES);
        long deleted = call(() -> tokens.deleteMany(Filters.lte(EXPIRES_AT, cutoff)).getDeletedCount());
        run(() -> families.deleteMany(Filters.lte(EXPIRES_AT, cutoff)));
        return deleted;
    }

    /** Takes expired ids off their users' lists (rotation markers carry no user and are on none). */
    private void prune(MongoCollection<Document> collection, Date cutoff, String field) {
        Map<String, List<String>> byUser = new HashMap<>();
        for (Document expired : call(() -> collection.find(Filters.lte(EXPIRES_AT, cutoff))
                .projection(new Document(USER, 1)).into(new ArrayList<>()))) {
            String user = expired.getString(USER);
            if (user != null) {
                byUser.computeIfAbsent(user, key -> new ArrayList<>()).add(expired.getString("_id"));
            }
        }
        byUser.forEach((user, ids) -> run(() -> users.updateOne(Filters.eq("_id", user), Updates.pullAll(field, ids))));
    }

    /**
     * Lists every user's families and tokens (a store from before the lists existed). Idempotent;
     * run by the layout migration, once per store.
     */
    static void listExisting(MongoDatabase database) {
        MongoCollection<Document> users = database.getCollection(USERS);
        for (String[] source : new String[][] {{TOKENS, USER_TOKENS}, {FAMILIES, USER_FAMILIES}}) {
            Map<String, List<String>> byUser = new HashMap<>();
            for (Document document : database.getCollection(source[0]).find().projection(new Document(USER, 1))) {
                String user = document.getString(USER);
                if (user != null) {
                    byUser.computeIfAbsent(user, key -> new ArrayList<>()).add(document.getString("_id"));
                }
            }
            byUser.forEach((user, ids) -> users.updateOne(Filters.eq("_id", user), Updates.addEachToSet(source[1], ids),
                    new UpdateOptions().upsert(true)));
        }
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
