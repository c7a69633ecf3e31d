package io.notesync.auth;

import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's revocation moment, in whole seconds (a JWT's {@code iat} is whole seconds): an
 * access token issued strictly before it, or without {@code iat} once there is one, is revoked.
 *
 * <p>Checked on every packet and request, so it is answered from memory: a map of the users
 * that have a moment (one entry per user ever revoked). The map is filled from the store at start
 * and kept current by {@link #poll}, run once a second: it reads one change mark (an equality on
 * {@code _id}, cheap on the embedded store too) and reads the moments again only when the mark
 * moved. So a revocation made by the CLI or on another node reaches this node within about a
 * second, with or without Redis. A revocation made here is in the map at once.
 */
public final class Revocations {

    /** Told of a moment newer than what this node knew: the user's sockets issued before it must end. */
    @FunctionalInterface
    public interface Listener {
        void revoked(String username, long epochSecond);
    }

    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final RevocationRepository store;
    private final Clock clock;
    private final Map<String, Long> moments = new ConcurrentHashMap<>();
    private volatile Listener listener = (username, moment) -> { };
    private long lastMark = Long.MIN_VALUE;

    public Revocations(RevocationRepository store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Who hears of a revocation first learned here (made here or found by {@link #poll}). */
    public void onRevoked(Listener listener) {
        this.listener = listener;
    }

    /** True when a token of {@code username} issued at {@code issuedAt} (null: no {@code iat}) is revoked. */
    public boolean revokes(String username, Instant issuedAt) {
        Long moment = moments.get(username);
        return moment != null && (issuedAt == null || issuedAt.getEpochSecond() < moment);
    }

    /**
     * Sets {@code username}'s moment to now (whole seconds), in the store and here, and tells the
     * listener. Blocking (the store). Returns the moment.
     */
    public long revoke(String username) {
        long moment = clock.instant().getEpochSecond();
        store.revoke(username, moment);
        learn(username, moment);
        return moment;
    }

    /** Reads what changed in the store since the last call; cheap when nothing did. Blocking. */
    public synchronized void poll() {
        long mark = store.changeMark();
        if (mark == lastMark) {
            return;
        }
        // The mark is read before the moments: a change that lands in between moves it again.
        boolean first = lastMark == Long.MIN_VALUE;
        lastMark = mark;
        for (Map.Entry<String, Long> entry : store.all().entrySet()) {
            if (first) {
                moments.merge(entry.getKey(), entry.getValue(), Math::max);
            } else {
                learn(entry.getKey(), entry.getValue());
            }
        }
    }

    private void learn(String username, long moment) {
        Long before = moments.get(username);
        if (before != null && before >= moment) {
            return;
        }
        moments.merge(username, moment, Math::max);
        log.info("user {}: tokens issued before {} are revoked", LogText.of(username), Instant.ofEpochSecond(moment));
        listener.revoked(username, moment);
    }
}
