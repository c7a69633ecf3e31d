package io.notesync.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(3, 5, Duration.ofMinutes(5), clock);

    @Test
    void aUsernameIsRefusedAfterItsFailuresUntilTheWindowPasses() {
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.allows("alice", "10.0.0." + i));
            throttle.failed("alice", "10.0.0." + i);
        }
        assertFalse(throttle.allows("alice", "10.0.0.99"), "from any address");
        assertTrue(throttle.allows("bob", "10.0.0.99"), "other users are not affected");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertTrue(throttle.allows("alice", "10.0.0.99"));
    }

    @Test
    void anAddressIsRefusedAfterItsFailuresWhateverTheUsername() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }
        assertFalse(throttle.allows("someone-new", "10.0.0.1"));
        assertTrue(throttle.allows("someone-new", "10.0.0.2"));
    }

    @Test
    void successClearsTheUsernamesCount() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        throttle.succeeded("alice");
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertTrue(throttle.allows("alice", "10.0.0.1"));
    }

    @Test
    void sweepForgetsPassedWindows() {
        throttle.failed("alice", "10.0.0.1");
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        throttle.sweep();
        assertTrue(throttle.allows("alice", "10.0.0.1"));
    }
}
