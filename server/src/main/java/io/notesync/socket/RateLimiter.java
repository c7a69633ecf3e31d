package io.notesync.socket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per user: {@code burst} packets at once, refilled at {@code perSecond}. Shared by
 * all of a user's sockets, so opening more tabs does not multiply the rate.
 */
final class RateLimiter {

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one token for {@code username}; false when the bucket is empty. */
    boolean tryAcquire(String username) {
        return buckets.computeIfAbsent(username, user -> new Bucket(burst, nanoTime.getAsLong())).take();
    }

    /** Forgets a user with no socket left, so the map holds only connected users. */
    void forget(String username) {
        buckets.remove(username);
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized boolean take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
