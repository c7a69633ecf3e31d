package io.notesync.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefreshTokensTest {

    /** The repository's contract, in memory. */
    private static final class InMemory implements RefreshTokenRepository {
        final Map<String, StoredToken> tokens = new ConcurrentHashMap<>();
        final Map<String, Instant> familyExpiry = new ConcurrentHashMap<>();
        final Map<String, Boolean> revoked = new ConcurrentHashMap<>();

        public void createFamily(String family, String username, Instant expiresAt) {
            familyExpiry.put(family, expiresAt);
            revoked.put(family, false);
        }

        public void extendFamily(String family, Instant expiresAt) {
            familyExpiry.merge(family, expiresAt, (a, b) -> a.isAfter(b) ? a : b);
        }

        public boolean isFamilyRevoked(String family) {
            return revoked.getOrDefault(family, true);
        }

        public void revokeFamily(String family, Instant at) {
            revoked.replace(family, true);
        }

        public void revokeAllOf(String username, Instant at) {
            tokens.values().stream().filter(t -> t.username().equals(username)).forEach(t -> revoked.replace(t.family(), true));
        }

        public long deleteAllOf(String username) {
            long before = tokens.size();
            tokens.values().removeIf(t -> t.username().equals(username));
            return before - tokens.size();
        }

        public void insert(StoredToken token) {
            tokens.put(token.hash(), token);
        }

        public StoredToken find(String hash) {
            return tokens.get(hash);
        }

        public synchronized boolean markRotated(String hash, Instant at, String successorHash) {
            StoredToken token = tokens.get(hash);
            if (token == null || token.rotatedAt() != null) {
                return false;
            }
            tokens.put(hash, new StoredToken(hash, token.family(), token.username(), token.expiresAt(), at));
            return true;
        }

        public long deleteExpired(Instant now) {
            int before = tokens.size();
            tokens.values().removeIf(t -> !now.isBefore(t.expiresAt()));
            familyExpiry.entrySet().removeIf(e -> !now.isBefore(e.getValue()));
            revoked.keySet().retainAll(familyExpiry.keySet());
            return before - tokens.size();
        }
    }

    private static final class Users implements UserRepository {
        final Map<String, User> users = new ConcurrentHashMap<>(Map.of("alice",
                new User("alice", "hash", Instant.EPOCH, Instant.EPOCH)));

        public User find(String username) {
            return users.get(username);
        }

        public boolean add(String username, String passwordHash, Instant now) {
            return users.putIfAbsent(username, new User(username, passwordHash, now, now)) == null;
        }

        public boolean setPasswordHash(String username, String passwordHash, Instant now) {
            return false;
        }

        public boolean remove(String username) {
            return users.remove(username) != null;
        }

        public List<User> list() {
            return List.copyOf(users.values());
        }
    }

    private final MutableClock clock = new MutableClock();
    private final InMemory store = new InMemory();
    private final Users users = new Users();
    private final RefreshTokens tokens = new RefreshTokens(store, users, Duration.ofDays(30), Duration.ofSeconds(10), clock);

    private RefreshTokens.Outcome.Rotated rotated(RefreshTokens.Outcome outcome) {
        return assertInstanceOf(RefreshTokens.Outcome.Rotated.class, outcome);
    }

    @Test
    void eachRefreshRotatesTheToken() {
        RefreshTokens.Issued first = tokens.start("alice");
        RefreshTokens.Outcome.Rotated second = rotated(tokens.refresh(first.token()));
        assertEquals("alice", second.username());
        assertNotEquals(first.token(), second.next().token());
        rotated(tokens.refresh(second.next().token()));
    }

    @Test
    void onlyTheHashIsStored() {
        RefreshTokens.Issued issued = tokens.start("alice");
        assertTrue(store.tokens.keySet().stream().noneMatch(hash -> hash.contains(issued.token())));
        assertEquals(1, store.tokens.size());
    }

    @Test
    void aRotatedTokenWithinTheGraceWindowGetsAnAccessTokenButNoSuccessor() {
        RefreshTokens.Issued first = tokens.start("alice");
        RefreshTokens.Outcome.Rotated second = rotated(tokens.refresh(first.token()));
        clock.advance(Duration.ofSeconds(10));
        assertInstanceOf(RefreshTokens.Outcome.WithinGrace.class, tokens.refresh(first.token()));
        assertInstanceOf(RefreshTokens.Outcome.WithinGrace.class, tokens.refresh(first.token()));
        rotated(tokens.refresh(second.next().token()));
    }

    @Test
    void aRotatedTokenAfterTheWindowRevokesTheFamily() {
        RefreshTokens.Issued first = tokens.start("alice");
        RefreshTokens.Outcome.Rotated second = rotated(tokens.refresh(first.token()));
        clock.advance(Duration.ofSeconds(11));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh(first.token()));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh(second.next().token()),
                "the newest token of a revoked family fails too");
        rotated(tokens.refresh(tokens.start("alice").token()));
    }

    @Test
    void graceZeroTurnsTheWindowOff() {
        RefreshTokens strict = new RefreshTokens(store, users, Duration.ofDays(30), Duration.ZERO, clock);
        RefreshTokens.Issued first = strict.start("alice");
        rotated(strict.refresh(first.token()));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, strict.refresh(first.token()));
    }

    @Test
    void expiredUnknownMalformedAndRevokedTokensAreRefused() {
        RefreshTokens shortLived = new RefreshTokens(store, users, Duration.ofSeconds(5), Duration.ofSeconds(10), clock);
        RefreshTokens.Issued issued = shortLived.start("alice");
        clock.advance(Duration.ofSeconds(5));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, shortLived.refresh(issued.token()));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh("A".repeat(43)));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh("not a token"));
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh(null));
        RefreshTokens.Issued loggedOut = tokens.start("alice");
        tokens.revoke(loggedOut.token());
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh(loggedOut.token()));
    }

    @Test
    void aRemovedUserCannotRefresh() {
        RefreshTokens.Issued issued = tokens.start("alice");
        users.remove("alice");
        assertInstanceOf(RefreshTokens.Outcome.Refused.class, tokens.refresh(issued.token()));
    }

    @Test
    void sweepDeletesExpiredTokens() {
        RefreshTokens shortLived = new RefreshTokens(store, users, Duration.ofSeconds(5), Duration.ofSeconds(10), clock);
        shortLived.start("alice");
        tokens.start("alice");
        clock.advance(Duration.ofSeconds(6));
        assertEquals(1, tokens.sweep());
        assertEquals(1, store.tokens.size());
    }
}
