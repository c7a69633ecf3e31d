package io.notesync.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks values that bind but cannot work, naming the key. The first problem found is reported. */
final class ConfigValidator {

    /** RFC 7518: an HMAC key must be at least as long as the hash. */
    static final int MIN_HS256_SECRET_BYTES = 32;

    private static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");

    private ConfigValidator() {
    }

    static void validate(NotesyncConfig config) {
        NotesyncConfig.Server server = config.server();
        require(server.host() != null && !server.host().isBlank(), "server.host", "must not be empty");
        require(server.port() >= 0 && server.port() <= 65535, "server.port", "must be 0..65535 (0 picks a free port), got " + server.port());
        require(server.shutdownTimeoutMs() >= 0, "server.shutdownTimeoutMs", "must be >= 0");
        if (server.tls().enabled()) {
            TlsFiles.load(server.tls());
        }

        NotesyncConfig.SocketIo socketio = config.socketio();
        require(socketio.pingIntervalMs() > 0, "socketio.pingIntervalMs", "must be > 0");
        require(socketio.pingTimeoutMs() > 0, "socketio.pingTimeoutMs", "must be > 0");
        require(socketio.maxPayloadBytes() >= 1024, "socketio.maxPayloadBytes", "must be at least 1024");
        require(socketio.connectTimeoutMs() > 0, "socketio.connectTimeoutMs", "must be > 0");
        // Room for a maximal packet's fPacket (a little larger than the packet) and the next one.
        require(socketio.maxBufferedBytes() >= 2L * socketio.maxPayloadBytes(), "socketio.maxBufferedBytes",
                "must be at least twice socketio.maxPayloadBytes (" + 2L * socketio.maxPayloadBytes() + ")");
        require(socketio.maxBufferedBytesTotal() == 0 || socketio.maxBufferedBytesTotal() >= socketio.maxBufferedBytes(),
                "socketio.maxBufferedBytesTotal", "must be 0 (sized from the JVM's memory limits) or at least socketio.maxBufferedBytes");

        validateAuth(config.auth());

        NotesyncConfig.MongoDb mongodb = config.mongodb();
        if (mongodb.uri() != null) {
            require(mongodb.uri().startsWith("mongodb://") || mongodb.uri().startsWith("mongodb+srv://"),
                    "mongodb.uri", "must start with mongodb:// or mongodb+srv://");
        }
        require(mongodb.database() != null && mongodb.database().matches("[A-Za-z0-9_-]{1,63}"),
                "mongodb.database", "must be 1..63 characters of letters, digits, '_' or '-'");
        require(mongodb.writeConcern() != null && mongodb.writeConcern().matches("majority|[1-9][0-9]*"),
                "mongodb.writeConcern", "must be 'majority' or a number of nodes >= 1, got '" + mongodb.writeConcern() + "'");
        require(mongodb.timeoutMs() > 0, "mongodb.timeoutMs", "must be > 0");
        String redis = config.cluster().redis().uri();
        if (redis != null) {
            require(redis.matches("rediss?://[^/?#]+(/[0-9]{1,2})?"), "cluster.redis.uri",
                    "must look like redis://host:port, redis://:password@host:port/0 or rediss://... for TLS");
        }

        require(config.storage().dataDir() != null, "storage.dataDir", "must be set");
        require(config.storage().embeddedPort() >= 0 && config.storage().embeddedPort() <= 65535,
                "storage.embeddedPort", "must be 0..65535");

        require(config.writer().maxBatchPackets() >= 1, "writer.maxBatchPackets", "must be >= 1");
        require(config.writer().inFlightBatches() >= 1 && config.writer().inFlightBatches() <= 16,
                "writer.inFlightBatches", "must be between 1 and 16");

        require(config.limits().maxNotesPerPacket() >= 1, "limits.maxNotesPerPacket", "must be >= 1");
        require(config.limits().maxNoteChars() >= 1, "limits.maxNoteChars", "must be >= 1");
        require(config.limits().packetsPerSecond() > 0, "limits.packetsPerSecond", "must be > 0");
        require(config.limits().packetBurst() >= 1, "limits.packetBurst", "must be >= 1");
        require(config.limits().maxConnectionsPerUser() >= 1, "limits.maxConnectionsPerUser", "must be >= 1");
        require(config.limits().maxTimestampSeconds() >= 1, "limits.maxTimestampSeconds", "must be >= 1");

        NotesyncConfig.Login login = config.login();
        require(login.maxFailuresPerUser() >= 1, "login.maxFailuresPerUser", "must be >= 1");
        require(login.maxFailuresPerAddress() >= 1, "login.maxFailuresPerAddress", "must be >= 1");
        require(login.windowSeconds() >= 1, "login.windowSeconds", "must be >= 1");

        validateCookie(config.cookie());
        validateHttp(config.http());
        validateMetrics(config.metrics());
        require(config.logging().format() != null && List.of("text", "json").contains(config.logging().format()),
                "logging.format", "must be text or json");
    }

    /** Long enough not to be guessed; visible ASCII, since it travels in an HTTP header. */
    private static final Pattern METRICS_TOKEN = Pattern.compile("[\\x21-\\x7E]{32,}");

    private static void validateMetrics(NotesyncConfig.Metrics metrics) {
        if (metrics.token() != null) {
            require(METRICS_TOKEN.matcher(metrics.token()).matches(), "metrics.token",
                    "must be at least 32 visible ASCII characters without spaces (e.g. openssl rand -hex 32), or null to turn /metrics off");
        }
    }

    /** An origin as browsers send it: scheme://host[:port], nothing after. */
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s]+");
    private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Set<String> SAME_SITE = Set.of("Strict", "Lax", "None");

    private static void validateCookie(NotesyncConfig.Cookie cookie) {
        require(cookie.name() != null && COOKIE_NAME.matcher(cookie.name()).matches(), "cookie.name",
                "must be a cookie name (letters, digits, and !#$%&'*+.^_`|~-), got '" + cookie.name() + "'");
        require(cookie.sameSite() != null && SAME_SITE.contains(cookie.sameSite()), "cookie.sameSite",
                "must be one of Strict, Lax, None, got '" + cookie.sameSite() + "'");
        require(!"None".equals(cookie.sameSite()) || cookie.secure(), "cookie.secure",
                "must be true with cookie.sameSite None (browsers drop SameSite=None cookies that are not Secure)");
    }

    private static void validateHttp(NotesyncConfig.Http http) {
        for (String origin : http.allowedOrigins()) {
            require(ORIGIN.matcher(origin).matches(), "http.allowedOrigins",
                    "entries must be origins like https://app.example.com or chrome-extension://<id>, "
                            + "without path or trailing slash ('*' and 'null' are never allowed), got '" + origin + "'");
        }
        for (String proxy : http.trustedProxies()) {
            try {
                AddressRange.parse(proxy);
            } catch (IllegalArgumentException e) {
                require(false, "http.trustedProxies", "entries must be addresses or CIDR blocks like 10.0.0.1, "
                        + "10.0.0.0/8 or fd00::/8: " + e.getMessage());
            }
        }
        if (http.publicUrl() != null) {
            require(http.publicUrl().matches("https?://[^/?#\\s]+/?"), "http.publicUrl",
                    "must be notesync's public origin, like https://notes.example.com, got '" + http.publicUrl() + "'");
        }
    }

    private static void validateAuth(NotesyncConfig.Auth auth) {
        require(auth.algorithm() != null && ALGORITHMS.contains(auth.algorithm()), "auth.algorithm",
                "must be one of " + ALGORITHMS + ", got '" + auth.algorithm() + "'");
        if (auth.algorithm().equals("HS256")) {
            require(auth.secret() != null, "auth.secret",
                    "must be set for HS256 (or set NOTESYNC_JWT_SECRET)");
            int bytes = auth.secret().getBytes(StandardCharsets.UTF_8).length;
            require(bytes >= MIN_HS256_SECRET_BYTES, "auth.secret",
                    "is " + bytes + " bytes; HS256 needs at least " + MIN_HS256_SECRET_BYTES);
        } else {
            require(auth.publicKeyFile() != null, "auth.publicKeyFile",
                    "must name a PEM public key file for " + auth.algorithm());
            require(Files.isReadable(Path.of(auth.publicKeyFile())), "auth.publicKeyFile",
                    "cannot read " + auth.publicKeyFile());
        }
        require(auth.usernameClaim() != null && !auth.usernameClaim().isBlank(), "auth.usernameClaim", "must not be empty");
        require(auth.clockSkewSeconds() >= 0, "auth.clockSkewSeconds", "must be >= 0");
        require(auth.accessTokenTtlSeconds() >= 1, "auth.accessTokenTtlSeconds", "must be >= 1");
        require(auth.refreshTokenTtlSeconds() >= 1, "auth.refreshTokenTtlSeconds", "must be >= 1");
        require(auth.refreshReuseGraceSeconds() >= 0, "auth.refreshReuseGraceSeconds", "must be >= 0 (0 turns the window off)");
        require(auth.refreshCleanupIntervalSeconds() >= 1, "auth.refreshCleanupIntervalSeconds", "must be >= 1");
        // bcrypt's cost is a base-2 logarithm: 4 is the library's minimum, 31 its maximum.
        require(auth.passwordHashCost() >= 4 && auth.passwordHashCost() <= 31, "auth.passwordHashCost",
                "must be 4..31 (bcrypt cost; 12 is the default)");
        // A 72-character password is the most bcrypt can take (72 bytes, ASCII).
        require(auth.minPasswordLength() >= 1 && auth.minPasswordLength() <= 72, "auth.minPasswordLength",
                "must be 1..72 (characters; bcrypt reads at most 72 bytes), got " + auth.minPasswordLength());
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException("config key '" + key + "' " + problem);
        }
    }
}
