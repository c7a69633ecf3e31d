package io.notesync.protocol;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A real redis-server on a free loopback port, from the embedded-redis jar (which ships the binary),
 * so the cluster tests need nothing installed. Stop and start again on the same port to play an
 * outage.
 */
final class TestRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    private TestRedis(int port) {
        this.port = port;
    }

    static TestRedis start() {
        TestRedis redis = new TestRedis(freePort());
        redis.up();
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    void up() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    // Nothing to keep: no dump.rdb in the working directory.
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void down() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (server != null && server.isActive()) {
                server.stop();
            }
        } catch (IOException ignored) {
            // already gone
        }
    }
}
