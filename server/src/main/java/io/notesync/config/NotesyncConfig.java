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
        Http http,
        Metrics metrics,
        Logging logging) {

    public record Server(String host, int port, long shutdownTimeoutMs, Tls tls) {
        public Duration shutdownTimeout() {
            return Duration.ofMillis(shutdownTimeoutMs);
        }
    }

    /**
     * TLS on notesync's own port (HTTP and WebSocket alike), for when no proxy terminates it: a PEM
     * certificate chain and its PEM private key (PKCS#8). Both null: plain HTTP.
     */
    public record Tls(String certFile, String keyFile) {
        public boolean enabled() {
            return certFile != null || keyFile != null;
        }
    }

    public record SocketIo(
            long pingIntervalMs,
            long pingTimeoutMs,
            int maxPayloadBytes,
            long connectTimeoutMs,
            boolean allowQueryToken,
            boolean websocketCompression,
            long maxBufferedBytes,
            long maxBufferedBytesTotal) {
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
            int passwordHashCost,
            int minPasswordLength) {

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
                         int maxConnectionsPerUser, long maxTimestampSeconds) {
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
     * {@code trustedProxies} (addresses or CIDR blocks, also a comma-separated string): only a
     * request whose TCP peer is one of them has its {@code X-Forwarded-*} / {@code Forwarded}
     * headers believed.
     */
    public record Http(List<String> allowedOrigins, String publicUrl, List<String> trustedProxies) {
        public Http {
            allowedOrigins = commaSeparated(allowedOrigins);
            trustedProxies = commaSeparated(trustedProxies);
        }

        /** The trusted proxies, parsed; call after validation, which names a bad entry. */
        public List<AddressRange> trustedProxyRanges() {
            return trustedProxies.stream().map(AddressRange::parse).toList();
        }

        private static List<String> commaSeparated(List<String> entries) {
            List<String> values = new ArrayList<>();
            if (entries != null) {
                for (String entry : entries) {
                    for (String value : entry == null ? new String[0] : entry.split(",")) {
                        if (!value.isBlank()) {
                            values.add(value.trim());
                        }
                    }
                }
            }
            return List.copyOf(values);
        }
    }

    /** {@code token} null: /metrics is off; set, it is served to {@code Authorization: Bearer <token>} only. */
    public record Metrics(String token) {
    }

    /** {@code format}: {@code text} (lines for people, the default) or {@code json} (one object per line). */
    public record Logging(String format) {
    }
}
