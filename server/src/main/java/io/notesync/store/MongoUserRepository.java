package io.notesync.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.notesync.auth.UserRepository;
import io.notesync.storage.StorageUnavailableException;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Users in the collection {@code users}, {@code _id: username}: the {@code _id} index makes
 * usernames unique on any MongoDB, the embedded store included, and every lookup an equality on it.
 */
public final class MongoUserRepository implements UserRepository {

    static final String COLLECTION = "users";
    private static final String PASSWORD_HASH = "passwordHash";
    private static final String CREATED_AT = "createdAt";
    private static final String UPDATED_AT = "updatedAt";

    private final MongoCollection<Document> users;

    public MongoUserRepository(MongoDatabase database) {
        this.users = database.getCollection(COLLECTION);
    }

    @Override
    public User find(String username) {
        try {
            Document user = users.find(Filters.eq("_id", username)).first();
            return user == null ? null : toUser(user);
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot read users: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean add(String username, String passwordHash, Instant now) {
        Date at = Date.from(now);
        try {
            users.insertOne(new Document("_id", username).append(PASSWORD_HASH, passwordHash)
                    .append(CREATED_AT, at).append(UPDATED_AT, at));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw new StorageUnavailableException("cannot add the user: " + e.getMessage(), e);
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot add the user: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean setPasswordHash(String username, String passwordHash, Instant now) {
        try {
            return users.updateOne(Filters.eq("_id", username),
                    Updates.combine(Updates.set(PASSWORD_HASH, passwordHash), Updates.set(UPDATED_AT, Date.from(now))))
                    .getMatchedCount() > 0;
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot change the password: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean remove(String username) {
        try {
            return users.deleteOne(Filters.eq("_id", username)).getDeletedCount() > 0;
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot remove the user: " + e.getMessage(), e);
        }
    }

    @Override
    public List<User> list() {
        List<User> all = new ArrayList<>();
        try {
            for (Document user : users.find().sort(Sorts.ascending("_id"))) {
                all.add(toUser(user));
            }
        } catch (MongoException e) {
            throw new StorageUnavailableException("cannot list users: " + e.getMessage(), e);
        }
        return all;
    }

    private static User toUser(Document user) {
        return new User(user.getString("_id"), user.getString(PASSWORD_HASH),
                user.getDate(CREATED_AT).toInstant(), user.getDate(UPDATED_AT).toInstant());
    }
}
