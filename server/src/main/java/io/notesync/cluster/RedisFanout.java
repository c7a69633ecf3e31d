package io.notesync.cluster;

import io.notesync.threads.DaemonThreads;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.SerializationCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's link to the other nodes: room broadcasts go out on one Redis pub/sub channel and
 * come in from it. Redis only carries notifications; MongoDB stays the system of record, so a
 * Redis outage may cost other nodes some {@code fPacket}s (clients catch up with
 * {@code GET /api/notes?since=}) but never a stored packet or a confirmation.
 *
 * <p>Nothing here blocks its caller: publishing hands the message to the {@link PublishQueue}'s
 * own thread, with a bound on how many may wait, and each {@link Subscription} is retried from a
 * timer until Redis answers, so a node starts, stores and confirms while Redis is down. A
 * {@link LinkHeartbeat} that this node publishes and must receive back tells {@link #connected()}
 * whether both directions work; {@link LostBroadcasts} counts what other nodes missed. The
 * Redisson client is set up by {@link RedisSettings}.
 */
public final class RedisFanout implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);
    private static final String DISPATCH_CHANNEL = "notesync:dispatch";
    private static final String HEARTBEAT_CHANNEL = "notesync:heartbeat";

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
    /** Messages from this node come back to it too; they are told apart by this id. */
    private final long nodeId = new SecureRandom().nextLong();
    private final Subscription<Broadcast> dispatch;
    private final LinkHeartbeat heartbeat;
    private final LostBroadcasts lost = new LostBroadcasts();
    private final PublishQueue publishing;
    /** Runs the heartbeat and retries the first subscriptions. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cluster-heartbeat"));
    private volatile boolean reportedUp;
    private volatile Consumer<Serializable> receiver = message -> { };

    private RedisFanout(RedissonClient redis, Set<String> messageClasses) {
        this.redis = redis;
        Set<String> wireClasses = new HashSet<>(ENVELOPE_CLASSES);
        wireClasses.addAll(messageClasses);
        SerializationCodec codec = new SerializationCodec(RedisFanout.class.getClassLoader(), wireClasses);
        RTopic dispatchTopic = redis.getTopic(DISPATCH_CHANNEL, codec);
        this.dispatch = new Subscription<>(dispatchTopic, Broadcast.class, (channel, message) -> {
            if (message.sender() != nodeId) {
                receiver.accept(message.message());
            }
        }, true);
        this.heartbeat = new LinkHeartbeat(redis.getTopic(HEARTBEAT_CHANNEL, StringCodec.INSTANCE), nodeId);
        this.publishing = new PublishQueue(dispatchTopic, lost);
    }

    /**
     * Starts the link; returns at once, whether or not Redis answers yet.
     *
     * @param uri            {@code redis://[[user]:password@]host:port[/db]}, or {@code rediss://} for TLS
     * @param messageClasses the classes a published message is made of once Java-serialized; only
     *                       these (and plain JDK values) are ever deserialized from the channel
     */
    public static RedisFanout start(String uri, Set<String> messageClasses) {
        RedisFanout fanout = new RedisFanout(Redisson.create(RedisSettings.redissonConfig(uri)), messageClasses);
        fanout.timer.scheduleWithFixedDelay(fanout::tick, 0, LinkHeartbeat.EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("cluster fan-out through Redis at {}", RedisSettings.redactedAddress(uri));
        return fanout;
    }

    /**
     * Queues a room broadcast for the other nodes and returns at once. When Redis is slow or down
     * and {@value PublishQueue#MAX_PENDING} messages wait already, this one is dropped: the note is
     * stored and confirmed regardless, and other nodes' sockets read it with {@code since}.
     */
    public void publish(Serializable message) {
        publishing.offer(new Broadcast(nodeId, message));
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
        return dispatch.subscribed() && heartbeat.fresh();
    }

    /** Broadcasts that other nodes did not get because Redis was unavailable or too slow. */
    public long lostBroadcasts() {
        return lost.total();
    }

    private void tick() {
        try {
            dispatch.ensure();
            heartbeat.beat();
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

    @Override
    public void close() {
        timer.shutdownNow();
        publishing.close();
        redis.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
