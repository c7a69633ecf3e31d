package io.notesync.cluster;

import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.SerializationCodec;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This node's link to the other nodes: room broadcasts go out on one Redis pub/sub channel and
 * come in from it. Redis only carries notifications; MongoDB stays the system of record, so a
 * Redis outage may cost other nodes some {@code fPacket}s (clients catch up with
 * {@code GET /api/notes?since=}) but never a stored packet or a confirmation.
 *
 * <p>Nothing here blocks its caller: publishing hands the message to this class's own thread,
 * with a bound on how many may wait, and subscribing is retried from a timer until Redis answers,
 * so a node starts, stores and confirms while Redis is down. A heartbeat that this node publishes
 * and must receive back tells {@link #connected()} whether both directions work.
 */
public final class RedisFanout implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);
    private static final String DISPATCH_CHANNEL = "notesync:dispatch";
    private static final String HEARTBEAT_CHANNEL = "notesync:heartbeat";
    private static final Duration HEARTBEAT_EVERY = Duration.ofMillis(500);
    /** Three heartbeats missed in a row: degraded. */
    private static final Duration HEARTBEAT_STALE = Duration.ofMillis(1500);
    /** Messages waiting for Redis; beyond this, broadcasts to other nodes are dropped (and counted). */
    private static final int MAX_PENDING = 10_000;

    /**
     * What an envelope is made of once Java-serialized, besides the classes of the message itself
     * that the caller names ({@link #start}). Anything else arriving on the channel is refused
     * before it is instantiated: whoever can publish to Redis must not get to pick classes.
     */
    private static final Set<String> ENVELOPE_CLASSES = Set.of(
            "io.notesync.cluster.RedisFanout$Broadcast", "java.lang.Record",
            "java.lang.Enum", "java.lang.Number", "java.lang.Long", "java.lang.Integer", "java.lang.Double",
            "java.lang.Boolean", "java.lang.String", "[Ljava.lang.Object;",
            "java.util.Arrays$ArrayList", "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.HashMap",
            "java.util.Collections$EmptyList");

    /** One broadcast on the channel, with the node that sent it (messages come back to their sender too). */
    record Broadcast(long sender, Serializable message) implements Serializable {
    }

    private final RedissonClient redis;
    private final RTopic dispatch;
    private final RTopic heartbeat;
    /** Messages from this node come back to it too; they are told apart by this id. */
    private final long nodeId = new SecureRandom().nextLong();
    private final String heartbeatToken = Long.toHexString(nodeId);
    private final ExecutorService publisher;
    private final ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(daemon("cluster-retry"));
    private static final int UNWRITTEN_RETRIES = 3;
    private static final long UNWRITTEN_RETRY_DELAY_MS = 50;
    private final ScheduledExecutorService timer;
    private final Semaphore pending = new Semaphore(MAX_PENDING);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final MessageListener<Broadcast> dispatchListener;
    private final MessageListener<String> heartbeatListener;
    private volatile boolean dispatchSubscribed;
    private volatile boolean heartbeatSubscribed;
    private volatile long lastEchoNanos = System.nanoTime() - HEARTBEAT_STALE.toNanos() - 1;
    private volatile boolean reportedUp;
    private volatile Consumer<Serializable> receiver = message -> { };

    private RedisFanout(RedissonClient redis, Set<String> messageClasses) {
        this.redis = redis;
        Set<String> wireClasses = new HashSet<>(ENVELOPE_CLASSES);
        wireClasses.addAll(messageClasses);
        SerializationCodec codec = new SerializationCodec(RedisFanout.class.getClassLoader(), wireClasses);
        this.dispatch = redis.getTopic(DISPATCH_CHANNEL, codec);
        this.heartbeat = redis.getTopic(HEARTBEAT_CHANNEL, StringCodec.INSTANCE);
        this.dispatchListener = (channel, message) -> {
            if (message.sender() != nodeId) {
                receiver.accept(message.message());
            }
        };
        this.heartbeatListener = (channel, token) -> {
            if (heartbeatToken.equals(token)) {
                lastEchoNanos = System.nanoTime();
            }
        };
        this.publisher = Executors.newSingleThreadExecutor(daemon("cluster-publish"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("cluster-heartbeat"));
    }

    /**
     * Starts the link; returns at once, whether or not Redis answers yet.
     *
     * @param uri            {@code redis://[[user]:password@]host:port[/db]}, or {@code rediss://} for TLS
     * @param messageClasses the classes a published message is made of once Java-serialized; only
     *                       these (and plain JDK values) are ever deserialized from the channel
     */
    public static RedisFanout start(String uri, Set<String> messageClasses) {
        RedisFanout fanout = new RedisFanout(Redisson.create(redissonConfig(uri)), messageClasses);
        fanout.timer.scheduleWithFixedDelay(fanout::tick, 0, HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("cluster fan-out through Redis at {}", redactedAddress(uri));
        return fanout;
    }

    static Config redissonConfig(String uri) {
        URI parsed = URI.create(uri);
        Config config = new Config();
        // Without it Redisson.create() connects at once and throws when Redis is down: the node
        // must start anyway (storage and confirmations do not need Redis).
        config.setLazyInitialization(true);
        // Redisson's defaults (32 netty threads, 16 listener threads) would add ~50 threads per node
        // for one channel's traffic.
        config.setNettyThreads(2);
        config.setThreads(2);
        SingleServerConfig server = config.useSingleServer()
                .setAddress(parsed.getScheme() + "://" + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 6379 : parsed.getPort()))
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(2)
                .setConnectTimeout(1000)
                // Not 1 s: on a loaded machine a PING answered late made Redisson drop and remake the
                // subscription connection, and every broadcast published meanwhile was lost.
                .setTimeout(3000)
                .setSubscriptionTimeout(2000)
                // A PUBLISH retried after a lost reply would deliver fPacket twice; a failed one is
                // counted and dropped instead.
                .setRetryAttempts(0)
                // Finds a connection that died silently within seconds, so Redisson reconnects and
                // resubscribes soon after Redis is back (a Redis restart closes the socket at once anyway).
                .setPingConnectionInterval(5000);
        String userInfo = parsed.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : userInfo.substring(0, colon);
            server.setPassword(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (user != null && !user.isEmpty()) {
                server.setUsername(user);
            }
        }
        String path = parsed.getPath();
        if (path != null && path.length() > 1) {
            server.setDatabase(Integer.parseInt(path.substring(1)));
        }
        return config;
    }

    /**
     * Queues a room broadcast for the other nodes and returns at once. When Redis is slow or down
     * and {@value #MAX_PENDING} messages wait already, this one is dropped: the note is stored and
     * confirmed regardless, and other nodes' sockets read it with {@code since}.
     */
    public void publish(Serializable message) {
        Broadcast broadcast = new Broadcast(nodeId, message);
        if (!pending.tryAcquire()) {
            countDropped();
            return;
        }
        try {
            publisher.execute(() -> send(broadcast, UNWRITTEN_RETRIES));
        } catch (RejectedExecutionException e) {
            pending.release();
        }
    }

    /**
     * Publishes; a PUBLISH that Redisson could not even write to its connection (it never reached
     * Redis, so it cannot arrive twice) is tried again, as a loaded machine makes that happen.
     */
    private void send(Broadcast message, int retriesLeft) {
        try {
            dispatch.publishAsync(message).whenComplete((receivers, failure) -> {
                if (failure instanceof WriteRedisConnectionException && retriesLeft > 0) {
                    retryTimer.schedule(() -> send(message, retriesLeft - 1), UNWRITTEN_RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                    return;
                }
                pending.release();
                if (failure != null) {
                    countFailed(failure);
                }
            });
        } catch (RuntimeException e) {
            pending.release();
            countFailed(e);
        }
    }

    /**
     * Who gets every broadcast published by another node (called on a Redisson thread). Until it is
     * set, broadcasts are ignored: this node has no sockets yet.
     */
    public void receiveWith(Consumer<Serializable> receiver) {
        this.receiver = receiver;
    }

    /** True while this node's heartbeat makes the round trip through Redis. */
    public boolean connected() {
        return dispatchSubscribed && System.nanoTime() - lastEchoNanos < HEARTBEAT_STALE.toNanos();
    }

    /** Broadcasts that other nodes did not get because Redis was unavailable or too slow. */
    public long lostBroadcasts() {
        return dropped.get() + failed.get();
    }

    private void tick() {
        try {
            if (!dispatchSubscribed) {
                dispatchSubscribed = subscribe(dispatch, Broadcast.class, dispatchListener);
            }
            if (!heartbeatSubscribed) {
                heartbeatSubscribed = subscribe(heartbeat, String.class, heartbeatListener);
            }
            if (heartbeatSubscribed) {
                heartbeat.publishAsync(heartbeatToken);
            }
            boolean up = connected();
            if (up != reportedUp) {
                reportedUp = up;
                if (up) {
                    log.info("cluster: Redis link is up; broadcasts reach the other nodes");
                } else {
                    log.warn("cluster: Redis link is down; packets are still stored and confirmed, "
                            + "other nodes miss their fPackets until it is back ({} lost so far)", lostBroadcasts());
                }
            }
        } catch (RuntimeException e) {
            log.warn("cluster heartbeat failed: {}", e.toString());
        }
    }

    /**
     * Redisson resubscribes on its own after a reconnect, but only what was subscribed once: the
     * first subscription is retried here until Redis answers. A failed attempt may still complete
     * inside Redisson later, so the listener is removed before the next try; it is never there twice.
     */
    private static <M> boolean subscribe(RTopic topic, Class<M> type, MessageListener<M> listener) {
        try {
            topic.addListener(type, listener);
            if (type == Broadcast.class) {
                // A resubscription means the subscribing connection was lost: what other nodes
                // published meanwhile did not reach this node. Logged so a missing fPacket can be explained.
                topic.addListener(new BaseStatusListener() {
                    @Override
                    public void onSubscribe(String channel) {
                        log.info("cluster: subscribed to {}", channel);
                    }
                });
            }
            return true;
        } catch (RuntimeException e) {
            log.debug("subscribing to {} failed: {}", topic.getChannelNames(), e.toString());
            try {
                topic.removeListener(listener);
            } catch (RuntimeException ignored) {
                // Redis is still down; the next attempt removes it again.
            }
            return false;
        }
    }

    private void countDropped() {
        if (dropped.incrementAndGet() % 1000 == 1) {
            log.warn("cluster: {} broadcasts waiting for Redis; dropping new ones ({} dropped so far)",
                    MAX_PENDING, dropped.get());
        }
    }

    private void countFailed(Throwable failure) {
        if (failed.incrementAndGet() % 1000 == 1) {
            log.warn("cluster: a broadcast to other nodes failed ({} so far): {}", failed.get(), failure.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        publisher.shutdown();
        retryTimer.shutdownNow();
        try {
            publisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The URI may carry a password; logs get host and port only. */
    static String redactedAddress(String uri) {
        URI parsed = URI.create(uri);
        return parsed.getScheme() + "://" + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 6379 : parsed.getPort());
    }
}
