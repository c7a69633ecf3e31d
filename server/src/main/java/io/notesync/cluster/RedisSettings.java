package io.notesync.cluster;

import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

import java.net.URI;

/** How this node's Redisson client is set up from {@code cluster.redis.uri}, and how that address is logged. */
final class RedisSettings {

    private RedisSettings() {
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

    /** The URI may carry a password; logs get host and port only. */
    static String redactedAddress(String uri) {
        URI parsed = URI.create(uri);
        return parsed.getScheme() + "://" + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 6379 : parsed.getPort());
    }
}
