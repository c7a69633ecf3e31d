package io.notesync.threads;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every thread notesync starts is a daemon named for its job, so a thread dump reads and the JVM's exit never waits on one. */
class DaemonThreadsTest {

    @Test
    void aNamedThreadIsADaemonWithExactlyThatName() {
        Thread thread = DaemonThreads.named("token-expiry").newThread(() -> { });
        assertTrue(thread.isDaemon());
        assertEquals("token-expiry", thread.getName());
    }

    @Test
    void aPoolsThreadsAreNumberedFromOne() {
        DaemonThreads pool = DaemonThreads.numbered("http-blocking");
        assertEquals("http-blocking-1", pool.newThread(() -> { }).getName());
        Thread second = pool.newThread(() -> { });
        assertEquals("http-blocking-2", second.getName());
        assertTrue(second.isDaemon());
    }
}
