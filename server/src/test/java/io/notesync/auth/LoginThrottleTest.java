package io.notesync.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(3, 5, Duration.ofMinutes(5), clock);

    @Test
    void aUsernameIsRefusedFromAnAddressAfterItsFailuresThereUntilTheWindowPasses() {
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.allows("alice", "10.0.0.1"));
            throttle.failed("alice", "10.0.0.1");
        }
        assertFalse(throttle.allows("alice", "10.0.0.1"));
        assertTrue(throttle.allows("bob", "10.0.0.1"), "other users from that address are not affected");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertTrue(throttle.allows("alice", "10.0.0.1"));
    }

    @Test
    void wrongGuessesFromOneAddressNeverStopTheUserFromAnother() {
        for (int i = 0; i < 50; i++) {
            throttle.failed("alice", "203.0.113.9");
        }
        assertFalse(throttle.allows("alice", "203.0.113.9"));
        assertTrue(throttle.allows("alice", "10.0.0.2"), "the user's own machine is not locked out");
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
    void ipv6AddressesCountPerSlash64() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertFalse(throttle.allows("someone-new", "2001:db8:1:2:ffff:1:2:3"), "another host address of the same /64");
        assertTrue(throttle.allows("someone-new", "2001:db8:1:3::1"), "the next /64 is another client");
        assertEquals("2001:db8:1:2:0:0:0:0/64", LoginThrottle.group("2001:db8:1:2:aaaa::1"));
        assertEquals("192.0.2.7", LoginThrottle.group("192.0.2.7"));
    }

    @Test
    void successClearsTheUsernamesCountFromThatAddress() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        throttle.succeeded("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertTrue(throttle.allows("alice", "10.0.0.1"));
    }

    @Test
    void sweepForgetsPassedWindowsAndKeepsCurrentOnes() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("bob", "10.0.0.2");
        clock.now = clock.now.plus(Duration.ofMinutes(3));
        throttle.failed("carol", "10.0.0.3");
        assertEquals(6, throttle.tracked(), "a count per user and address and one per address, for each failure");
        clock.now = clock.now.plus(Duration.ofMinutes(3));
        throttle.sweep();
        assertEquals(2, throttle.tracked(), "alice's and bob's windows have passed, carol's has not");
        for (int i = 0; i < 2; i++) {
            throttle.failed("carol", "10.0.0.3");
        }
        assertFalse(throttle.allows("carol", "10.0.0.3"), "carol's count survived the sweep");
        assertTrue(throttle.allows("alice", "10.0.0.1"));
    }
}
