package io.notesync.cluster;

import org.redisson.api.RTopic;

import java.time.Duration;

/**
 * A token this node publishes every {@link #EVERY} and must receive back: while it does, both
 * directions through Redis work.
 */
final class LinkHeartbeat {

    static final Duration EVERY = Duration.ofMillis(500);
    /** Three heartbeats missed in a row: degraded. */
    private static final Duration STALE = Duration.ofMillis(1500);

    private final RTopic topic;
    private final String token;
    private final Subscription<String> subscription;
    private volatile long lastEchoNanos = System.nanoTime() - STALE.toNanos() - 1;

    /** @param nodeId tells this node's heartbeats from the other nodes' on the shared channel */
    LinkHeartbeat(RTopic topic, long nodeId) {
        this.topic = topic;
        this.token = Long.toHexString(nodeId);
        this.subscription = new Subscription<>(topic, String.class, (channel, echoed) -> {
            if (token.equals(echoed)) {
                lastEchoNanos = System.nanoTime();
            }
        }, false);
    }

    /** Subscribes if not yet, then publishes the token. */
    void beat() {
        if (subscription.ensure()) {
            topic.publishAsync(token);
        }
    }

    /** True while the last heartbeat came back less than {@link #STALE} ago. */
    boolean fresh() {
        return System.nanoTime() - lastEchoNanos < STALE.toNanos();
    }
}
