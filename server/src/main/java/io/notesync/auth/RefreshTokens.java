package io.notesync.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Opaque refresh tokens: 256 random bits, stored hashed with an expiry, rotated on every use.
 * A rotated token presented again within the grace window still gets an access token (two tabs
 * refreshing at once); after it, the reuse revokes the whole family. No transactions: the
 * successor is written before the old token is marked, and only one caller can mark it.
 */
public final class RefreshTokens {

    /** The client receives {@code token} (the cookie value); it is valid until {@code expiresAt}. */
    public record Issued(String token, Instant expiresAt, Duration lifetime) {
    }

    public sealed interface Outcome {
        /** A new token replaces the presented one. */
        record Rotated(String username, Issued next) implements Outcome {
        }

        /** The presented token was rotated moments ago: an access token, but no new cookie. */
        record WithinGrace(String username) implements Outcome {
        }

        record Refused(String why) implements Outcome {
        }
    }

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RefreshTokenRepository store;
    private final UserRepository users;
    private final Duration lifetime;
    private final Duration grace;
    private final Clock clock;

    public RefreshTokens(RefreshTokenRepository store, UserRepository users, Duration lifetime, Duration grace, Clock clock) {
        this.store = store;
        this.users = users;
        this.lifetime = lifetime;
        this.grace = grace;
        this.clock = clock;
    }

    /** Starts a family for a fresh login. Blocking. */
    public Issued start(String username) {
        String family = UUID.randomUUID().toString();
        Instant expiresAt = clock.instant().plus(lifetime);
        store.createFamily(family, username, expiresAt);
        return issueInFamily(family, username, expiresAt);
    }

    /** Exchanges a presented token. Blocking. */
    public Outcome refresh(String presented) {
        RefreshTokenRepository.StoredToken token = lookUp(presented);
        Instant now = clock.instant();
        if (token == null) {
            return new Outcome.Refused("unknown refresh token");
        }
        if (!now.isBefore(token.expiresAt())) {
            return new Outcome.Refused("the refresh token has expired");
        }
        if (store.isFamilyRevoked(token.family())) {
            return new Outcome.Refused("the refresh token was revoked");
        }
        if (users.find(token.username()) == null) {
            store.revokeFamily(token.family(), now);
            return new Outcome.Refused("the user no longer exists");
        }
        if (token.rotatedAt() == null) {
            Instant expiresAt = now.plus(lifetime);
            Issued next = issueInFamily(token.family(), token.username(), expiresAt);
            if (store.markRotated(token.hash(), now, hash(next.token()))) {
                store.extendFamily(token.family(), expiresAt);
                return new Outcome.Rotated(token.username(), next);
            }
            // Another request rotated it first: this one is a reuse within the window, like a second tab.
            token = store.find(token.hash());
            if (token == null || token.rotatedAt() == null) {
                return new Outcome.Refused("unknown refresh token");
            }
        }
        if (!grace.isZero() && !now.isAfter(token.rotatedAt().plus(grace))) {
            return new Outcome.WithinGrace(token.username());
        }
        store.revokeFamily(token.family(), now);
        return new Outcome.Refused("the refresh token was already used; its family is revoked");
    }

    /** Logout: revokes the family of the presented token, if it is one of ours. Blocking. */
    public void revoke(String presented) {
        RefreshTokenRepository.StoredToken token = lookUp(presented);
        if (token != null) {
            store.revokeFamily(token.family(), clock.instant());
        }
    }

    /** Deletes expired tokens and families; returns how many tokens went. Blocking. */
    public long sweep() {
        return store.deleteExpired(clock.instant());
    }

    private RefreshTokenRepository.StoredToken lookUp(String presented) {
        if (presented == null || !TOKEN.matcher(presented).matches()) {
            return null;
        }
        return store.find(hash(presented));
    }

    private Issued issueInFamily(String family, String username, Instant expiresAt) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        store.insert(new RefreshTokenRepository.StoredToken(hash(token), family, username, expiresAt, null));
        return new Issued(token, expiresAt, lifetime);
    }

    /** SHA-256 suffices: the token is 256 random bits, so there is nothing to guess or stretch. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
