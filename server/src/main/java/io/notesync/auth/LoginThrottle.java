package io.notesync.auth;

import io.notesync.config.AddressRange;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins in fixed windows, keyed so that guesses cannot be turned against a user:
 * per (username, client address), and per client address whatever the username. Wrong guesses
 * from one address never stop the right password from another. Beyond either limit a login from
 * that address is refused without looking at the password, with the same answer as a wrong one,
 * until the window has passed. IPv6 addresses count per /64 (one subscriber's network, where a
 * single host can pick any address). In memory: a restart forgets the counts, and each node
 * counts on its own (N nodes allow N times the budget).
 */
public final class LoginThrottle {

    private record Window(Instant start, int failures) {
    }

    private final int maxPerUserAndAddress;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> userAndAddress = new ConcurrentHashMap<>();
    private final Map<String, Window> addresses = new ConcurrentHashMap<>();

    public LoginThrottle(int maxPerUserAndAddress, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerUserAndAddress = maxPerUserAndAddress;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    public boolean allows(String username, String address) {
        Instant now = clock.instant();
        String group = group(address);
        return failures(userAndAddress, key(username, group), now) < maxPerUserAndAddress
                && failures(addresses, group, now) < maxPerAddress;
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        String group = group(address);
        count(userAndAddress, key(username, group), now);
        count(addresses, group, now);
    }

    /**
     * A successful login clears the count of its username from its address (not the address's
     * own: one address, many users, and a guesser who knows one password must not reset it).
     */
    public void succeeded(String username, String address) {
        userAndAddress.remove(key(username, group(address)));
    }

    /** Forgets windows that have passed; run from time to time so the maps stay small. */
    public void sweep() {
        Instant now = clock.instant();
        userAndAddress.values().removeIf(w -> passed(w, now));
        addresses.values().removeIf(w -> passed(w, now));
    }

    /** How many counts (per user and address, per address) are held: what sweep() keeps small. */
    int tracked() {
        return userAndAddress.size() + addresses.size();
    }

    /** The address an attempt counts against: an IPv4 address itself, an IPv6 address's /64. */
    static String group(String address) {
        InetAddress parsed = address == null ? null : AddressRange.literal(address);
        if (parsed instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(parsed.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return parsed != null ? parsed.getHostAddress() : String.valueOf(address);
    }

    /** A NUL cannot occur in a username (it is refused everywhere), so the pair cannot collide. */
    private static String key(String username, String group) {
        return username + '\u0000' + group;
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
