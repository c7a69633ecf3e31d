package io.notesync.auth;

import java.time.Instant;
import java.util.List;

/** notesync's own users: a unique username and a password hash. */
public interface UserRepository {

    record User(String username, String passwordHash, Instant createdAt, Instant updatedAt) {
    }

    /** The user, or null. */
    User find(String username);

    /** Adds the user; false when the username is taken. */
    boolean add(String username, String passwordHash, Instant now);

    /** Replaces the password hash; false when there is no such user. */
    boolean setPasswordHash(String username, String passwordHash, Instant now);

    /** False when there was no such user. */
    boolean remove(String username);

    /** Every user, by username. */
    List<User> list();
}
