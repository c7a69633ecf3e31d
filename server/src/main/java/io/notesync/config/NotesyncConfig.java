package io.notesync.config;

import java.nio.file.Path;
import java.time.Duration;

/** The whole configuration, as validated at start. Key names match the YAML file. */
public record NotesyncConfig(
        Server server,
        SocketIo socketio,
        Auth auth,
        MongoDb mongodb,
        Storage storage,
        Writer writer,
        Limits limits,
        Cluster cluster) {

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
            long clockSkewSeconds) {
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

    /** How the note writer groups packets that arrive together into one bulk write. */
    public record Writer(int maxBatchPackets, long maxDelayMs, int inFlightBatches) {
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
}
