package io.notesync.auth;

import java.util.Map;

/**
 * Where each user's revocation moment is kept, so every node and the CLI see the same one. A
 * moment is never removed: it outlives a removed account (a tombstone), so the old account's
 * unexpired tokens never reach a new account of the same name.
 */
public interface RevocationRepository {

    /**
     * Raises {@code username}'s moment to {@code epochSecond} (never lowers it), then marks that
     * something changed, in that order: whoever sees the mark reads the moment.
     */
    void revoke(String username, long epochSecond);

    /** A value that changes whenever a moment is raised; cheap, read every second by each node. */
    long changeMark();

    /** Every user's moment, in epoch seconds. */
    Map<String, Long> all();
}
