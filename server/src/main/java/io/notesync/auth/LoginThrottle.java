package io.notesync.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per username and per client address in fixed windows. Beyond either limit
 * a login is refused without looking at the password, with the same answer as a wrong one, until
 * the window has passed. In memory: a restart forgets the counts, and so do other nodes.
 */
public final class LoginThrottle {

    private record Window(Instant start, int failures) {
    }

    private final int maxPerUser;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> users = new ConcurrentHashMap<>();
    private final Map<String, Window> addresses = new ConcurrentHashMap<>();

    public LoginThrottle(int maxPerUser, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    public boolean allows(String username, String address) {
        Instant now = clock.instant();
        return failures(users, username, now) < maxPerUser && failures(addresses, address, now) < maxPerAddress;
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        count(users, username, now);
        count(addresses, address, now);
    }

    /** A successful login clears its username's count (not its address's: one address, many users). */
    public void succeeded(String username) {
        users.remove(username);
    }

    /** Forgets windows that have passed; run from time to time so the maps stay small. */
    public void sweep() {
        Instant now = clock.instant();
        users.values().removeIf(w -> passed(w, now));
        addresses.values().removeIf(w -> passed(w, now));
    }

    private int failures(Map<String, Window> counts, String key, Instant now) {
        Window current = counts.get(key);
        return current == null || passed(current, now) ? 0 : current.failures();
    }

    private void count(Map<String, Window> counts, String key, Instant now) {
        counts.compute(key, (k, current) -> current == null || passed(current, now)
                ? new Window(now, 1)
                : new Window(current.start(), current.failures() + 1));
    }

    private boolean passed(Window w, Instant now) {
        return !now.isBefore(w.start().plus(window));
    }
}
