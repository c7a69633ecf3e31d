package io.notesync.cluster;

import io.notesync.threads.DaemonThreads;
import org.redisson.api.RTopic;
import org.redisson.client.WriteRedisConnectionException;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Broadcasts on their way to Redis: handed to a thread of their own so no caller ever waits, at
 * most {@value #MAX_PENDING} at a time (beyond that a new one is dropped and counted), and a
 * PUBLISH that never left this node tried again a few times.
 */
final class PublishQueue implements AutoCloseable {

    /** Messages waiting for Redis; beyond this, broadcasts to other nodes are dropped (and counted). */
    static final int MAX_PENDING = 10_000;
    private static final int UNWRITTEN_RETRIES = 3;
    private static final long UNWRITTEN_RETRY_DELAY_MS = 50;

    private final RTopic topic;
    private final LostBroadcasts lost;
    private final Semaphore pending = new Semaphore(MAX_PENDING);
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(DaemonThreads.named("cluster-publish"));
    private final ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cluster-retry"));

    PublishQueue(RTopic topic, LostBroadcasts lost) {
        this.topic = topic;
        this.lost = lost;
    }

    /** Queues {@code message} and returns at once; drops it (counted) when {@value #MAX_PENDING} wait already. */
    void offer(Object message) {
        if (!pending.tryAcquire()) {
            lost.dropped(MAX_PENDING);
            return;
        }
        try {
            publisher.execute(() -> send(message, UNWRITTEN_RETRIES));
        } catch (RejectedExecutionException e) {
            pending.release();
        }
    }

    /**
     * Publishes; a PUBLISH that Redisson could not even write to its connection (it never reached
     * Redis, so it cannot arrive twice) is tried again, as a loaded machine makes that happen.
     */
    private void send(Object message, int retriesLeft) {
        try {
            topic.publishAsync(message).whenComplete((receivers, failure) -> {
                if (failure instanceof WriteRedisConnectionException && retriesLeft > 0) {
                    retryTimer.schedule(() -> send(message, retriesLeft - 1), UNWRITTEN_RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                    return;
                }
                pending.release();
                if (failure != null) {
                    lost.failed(failure);
                }
            });
        } catch (RuntimeException e) {
            pending.release();
            lost.failed(e);
        }
    }

    /** Publishes what is queued already (up to 2 s), then stops. */
    @Override
    public void close() {
        publisher.shutdown();
        retryTimer.shutdownNow();
        try {
            publisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
