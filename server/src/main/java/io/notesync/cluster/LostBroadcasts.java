package io.notesync.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The broadcasts other nodes did not get: dropped because too many waited for Redis, or failed
 * on the way. Counted for {@code notesync_cluster_lost_broadcasts}; logged once per thousand.
 */
final class LostBroadcasts {

    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    void dropped(int waiting) {
        if (dropped.incrementAndGet() % 1000 == 1) {
            log.warn("cluster: {} broadcasts waiting for Redis; dropping new ones ({} dropped so far)",
                    waiting, dropped.get());
        }
    }

    void failed(Throwable failure) {
        if (failed.incrementAndGet() % 1000 == 1) {
            log.warn("cluster: a broadcast to other nodes failed ({} so far): {}", failed.get(), failure.toString());
        }
    }

    long total() {
        return dropped.get() + failed.get();
    }
}
