package io.notesync.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final RateLimiter limiter = new RateLimiter(20, 40, now::get);

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private int takeAll(String user) {
        int taken = 0;
        while (limiter.tryAcquire(user)) {
            taken++;
            if (taken > 10_000) {
                throw new AssertionError("the bucket never empties");
            }
        }
        return taken;
    }

    @Test
    void aNewUserMaySendAWholeBurstAtOnceAndNoMore() {
        assertEquals(40, takeAll("alice"));
        assertFalse(limiter.tryAcquire("alice"));
    }

    @Test
    void theBucketRefillsAtTheRate() {
        takeAll("alice");
        advanceMillis(49);
        assertFalse(limiter.tryAcquire("alice"), "20/s: one packet every 50 ms");
        advanceMillis(2);
        assertTrue(limiter.tryAcquire("alice"));
        assertFalse(limiter.tryAcquire("alice"));
        advanceMillis(500);
        assertEquals(10, takeAll("alice"));
    }

    @Test
    void refillStopsAtTheBurst() {
        takeAll("alice");
        advanceMillis(60_000);
        assertEquals(40, takeAll("alice"));
    }

    @Test
    void usersHaveBucketsOfTheirOwn() {
        takeAll("alice");
        assertTrue(limiter.tryAcquire("bob"));
        assertFalse(limiter.tryAcquire("alice"));
    }

    @Test
    void aForgottenUserStartsAgainWithAFullBucket() {
        takeAll("alice");
        limiter.forget("alice");
        assertEquals(40, takeAll("alice"));
    }

    @Test
    void aFractionalRateStillRefills() {
        RateLimiter slow = new RateLimiter(0.5, 1, now::get);
        assertTrue(slow.tryAcquire("alice"));
        advanceMillis(1_999);
        assertFalse(slow.tryAcquire("alice"));
        advanceMillis(2);
        assertTrue(slow.tryAcquire("alice"));
    }
}
