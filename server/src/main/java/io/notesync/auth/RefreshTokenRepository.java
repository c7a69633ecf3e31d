package io.notesync.auth;

import java.time.Instant;

/**
 * Refresh tokens, stored by the SHA-256 of the token (never the token), and their families: the
 * chain of tokens one login started, revoked together.
 */
public interface RefreshTokenRepository {

    /** {@code rotatedAt} is null until the token has been exchanged for its successor. */
    record StoredToken(String hash, String family, String username, Instant expiresAt, Instant rotatedAt) {
    }

    void createFamily(String family, String username, Instant expiresAt);

    /** Keeps the family until its newest token expires. */
    void extendFamily(String family, Instant expiresAt);

    /** True when the family was revoked, or no longer exists. */
    boolean isFamilyRevoked(String family);

    void revokeFamily(String family, Instant at);

    /** Revokes every family of the user (password change, log out everywhere). */
    void revokeAllOf(String username, Instant at);

    /** Deletes every token and family of the user (account removal); returns how many tokens went. */
    long deleteAllOf(String username);

    void insert(StoredToken token);

    /** The token with this hash, or null. */
    StoredToken find(String hash);

    /**
     * Marks the token rotated, only if it is not yet: of concurrent callers exactly one gets true.
     */
    boolean markRotated(String hash, Instant at, String successorHash);

    /** Deletes tokens and families whose expiry has passed; returns how many tokens went. */
    long deleteExpired(Instant now);
}
