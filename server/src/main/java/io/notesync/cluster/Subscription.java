package io.notesync.cluster;

import org.redisson.api.RTopic;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.api.listener.MessageListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's first subscription, tried again at every heartbeat until Redis answers. Redisson
 * resubscribes on its own after a reconnect, but only what was subscribed once.
 */
final class Subscription<M> {

    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);

    private final RTopic topic;
    private final Class<M> type;
    private final MessageListener<M> listener;
    private final boolean logSubscribes;
    private volatile boolean subscribed;

    /** @param logSubscribes log each (re)subscription: a resubscription explains a missing fPacket */
    Subscription(RTopic topic, Class<M> type, MessageListener<M> listener, boolean logSubscribes) {
        this.topic = topic;
        this.type = type;
        this.listener = listener;
        this.logSubscribes = logSubscribes;
    }

    boolean subscribed() {
        return subscribed;
    }

    /** Tries once unless subscribed already; true when subscribed. */
    boolean ensure() {
        if (!subscribed) {
            subscribed = subscribe();
        }
        return subscribed;
    }

    /** A failed attempt may still complete inside Redisson later, so the listener is removed before the next try; it is never there twice. */
    private boolean subscribe() {
        try {
            topic.addListener(type, listener);
            if (logSubscribes) {
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
}
