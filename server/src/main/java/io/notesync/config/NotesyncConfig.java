package io.notesync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The whole configuration, as validated at start. Key names match the YAML file. */
public record NotesyncConfig(
        Server server,
        SocketIo socketio,
        Auth auth,
        MongoDb mongodb,
        Storage storage,
        Writer writer,
        Limits limits,
        Cluster cluster,
        Login login,
        Cookie cookie,
        Http http) {

    public record Server(String host, int port, long shutdownTimeoutMs) {
        public Duration shutdownTimeout() {
            return Duration.ofMillis(shutdownTimeoutMs);
        }
    }

    public record SocketIo(
            long pingIntervalMs,
            long pingTimeoutMs,
            int maxPayloadBytes,
            long connectTimeoutMs,
            boolean allowQueryToken,
            boolean websocketCompression) {
    }

    public record Auth(
            String algorithm,
            String secret,
            String publicKeyFile,
            String usernameClaim,
            String issuer,
            String audience,
            long clockSkewSeconds,
            long accessTokenTtlSeconds,
            long refreshTokenTtlSeconds,
            long refreshReuseGraceSeconds,
            long refreshCleanupIntervalSeconds,
            int passwordHashCost) {

        /** Login and refresh need to sign access tokens, which only the shared secret can. */
        public boolean canIssueTokens() {
            return "HS256".equals(algorithm);
        }
    }

    /** {@code uri} null means: run the embedded MongoDB-protocol server. */
    public record MongoDb(String uri, String database, String writeConcern, long timeoutMs) {
        public boolean embedded() {
            return uri == null;
        }

        public Duration timeout() {
            return Duration.ofMillis(timeoutMs);
        }
    }

    /** Where the embedded store keeps its file; {@code embeddedPort} 0 picks a free loopback port. */
    public record Storage(Path dataDir, int embeddedPort) {
    }

    /**
     * The note writer's group commit: each bulk write carries what queued while the previous one ran,
     * at most {@code maxBatchPackets}; {@code inFlightBatches} writes at once.
     */
    public record Writer(int maxBatchPackets, int inFlightBatches) {
    }

    /**
     * Per-packet sizes, and per-user rates: a token bucket of {@code packetBurst} packets refilled
     * at {@code packetsPerSecond}, and at most {@code maxConnectionsPerUser} sockets at once.
     */
    public record Limits(int maxNotesPerPacket, int maxNoteChars, double packetsPerSecond, int packetBurst,
                         int maxConnectionsPerUser) {
    }

    /** Several nodes behind one address; {@code redis.uri} null means a single node, no Redis. */
    public record Cluster(Redis redis) {
        public boolean enabled() {
            return redis != null && redis.uri() != null;
        }
    }

    /** {@code redis://[:password@]host:port[/db]} or {@code rediss://...} for TLS. */
    public record Redis(String uri) {
    }

    /** Failed logins allowed per username and per client address within a window, before refusing. */
    public record Login(int maxFailuresPerUser, int maxFailuresPerAddress, long windowSeconds) {
    }

    /** The refresh-token cookie. {@code sameSite} is Strict, Lax or None. */
    public record Cookie(String name, boolean secure, String sameSite) {
    }

    /**
     * Browser origins. {@code allowedOrigins} may also be given as one comma-separated string
     * (environment, {@code --set}). {@code publicUrl} is notesync's own URL behind a proxy.
     */
    public record Http(List<String> allowedOrigins, String publicUrl) {
        public Http {
            List<String> origins = new ArrayList<>();
            if (allowedOrigins != null) {
                for (String entry : allowedOrigins) {
                    for (String origin : entry == null ? new String[0] : entry.split(",")) {
                        if (!origin.isBlank()) {
                            origins.add(origin.trim());
                        }
                    }
                }
            }
            allowedOrigins = List.copyOf(origins);
        }
    }
}
