package io.notesync.protocol;

import io.notesync.NotesyncServer;
import io.notesync.auth.SigningKeys;
import io.notesync.auth.TokenIssuer;
import io.notesync.config.ConfigLoader;
import io.notesync.config.NotesyncConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real notesync, in this JVM, on a free port, with its own embedded store in a fresh directory;
 * or, when NOTESYNC_TEST_MONGODB_URI is set, on that MongoDB with a database of its own.
 */
final class TestServer implements AutoCloseable {

    static final String SECRET = "protocol-tests-secret-0123456789abcdef-0123456789";
    static final String MONGODB_URI_VARIABLE = "NOTESYNC_TEST_MONGODB_URI";

    private final NotesyncServer server;
    private final NotesyncConfig config;
    private final Path dataDir;
    private final String name;

    private TestServer(NotesyncServer server, NotesyncConfig config, Path dataDir, String name) {
        this.server = server;
        this.config = config;
        this.dataDir = dataDir;
        this.name = name;
    }

    static TestServer start() {
        return start(Map.of());
    }

    /** @param settings extra config keys, as {@code --set} takes them */
    static TestServer start(Map<String, String> settings) {
        return start(temporaryDataDir(), settings);
    }

    /** On a given data directory: with a fixed {@code server.port}, a restart of a stopped server. */
    static TestServer start(Path dataDir, Map<String, String> settings) {
        NotesyncConfig config = ConfigLoader.load(null, Map.of(), baseSettings(dataDir, settings));
        // Started from a thread group of its own, so that its threads log to its own file.
        String name = ServerLogs.newName();
        ServerLogs.running(name);
        try {
            return new TestServer(ServerLogs.inGroup(name, () -> NotesyncServer.start(config)), config, dataDir, name);
        } catch (RuntimeException | Error e) {
            ServerLogs.stopped(name);
            throw e;
        }
    }

    /** The settings every test server shares: loopback, a free port, the test secret, its own store. */
    static Map<String, String> baseSettings(Path dataDir, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.host", "127.0.0.1");
        all.put("server.port", "0");
        all.put("auth.secret", SECRET);
        all.put("storage.dataDir", dataDir.toString());
        String mongodbUri = System.getenv(MONGODB_URI_VARIABLE);
        if (mongodbUri != null && !mongodbUri.isBlank()) {
            all.put("mongodb.uri", mongodbUri);
            all.put("mongodb.database", "notesync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        }
        all.putAll(settings);
        return all;
    }

    static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("notesync-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://} when the server terminates TLS itself ({@code server.tls}). */
    String url() {
        return scheme() + "://127.0.0.1:" + server.port();
    }

    String scheme() {
        return config.server().tls().enabled() ? "https" : "http";
    }

    int port() {
        return server.port();
    }

    Path dataDir() {
        return dataDir;
    }

    /** Adds one of notesync's own users, as {@code notesync user add} would. */
    void addUser(String username, String password) {
        server.users().add(username, password.toCharArray());
    }

    String token(String username) {
        return token(username, Duration.ofMinutes(15));
    }

    String token(String username, Duration lifetime) {
        return issuer().issue(username, lifetime);
    }

    private TokenIssuer issuer() {
        return new TokenIssuer(config.auth(), SigningKeys.from(config.auth()), Clock.systemUTC());
    }

    /** Environment for child processes (node) that need to reach this server. */
    Map<String, String> clientEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("NOTESYNC_URL", url());
        env.put("NOTESYNC_JWT_SECRET", SECRET);
        return env;
    }

    /** This server's log file. */
    Path log() {
        return ServerLogs.file(name);
    }

    @Override
    public void close() {
        try {
            ServerLogs.inGroup(name, () -> {
                server.close();
                return null;
            });
        } finally {
            ServerLogs.stopped(name);
        }
    }
}
