package io.notesync.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final String SECRET = "a-secret-that-is-long-enough-0123456789";
    private static final Map<String, String> WITH_SECRET = Map.of("auth.secret", SECRET);

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("notesync.yml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void defaultsMatchTheNodeReferenceServer() {
        NotesyncConfig config = ConfigLoader.load(null, Map.of(), WITH_SECRET);
        assertEquals(25_000, config.socketio().pingIntervalMs());
        assertEquals(20_000, config.socketio().pingTimeoutMs());
        assertEquals(1_000_000, config.socketio().maxPayloadBytes());
        assertEquals(45_000, config.socketio().connectTimeoutMs());
        assertNull(config.mongodb().uri());
        assertTrue(config.mongodb().embedded());
    }

    @Test
    void theFileOverridesDefaults() throws IOException {
        NotesyncConfig config = ConfigLoader.load(file("server:\n  port: 9001\n"), Map.of(), WITH_SECRET);
        assertEquals(9001, config.server().port());
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        NotesyncConfig config = ConfigLoader.load(file("server:\n  port: 9001\n"),
                Map.of("NOTESYNC_PORT", "9002", "NOTESYNC_JWT_SECRET", SECRET), Map.of());
        assertEquals(9002, config.server().port());
        assertEquals(SECRET, config.auth().secret());
    }

    @Test
    void settingsOverrideTheEnvironment() {
        NotesyncConfig config = ConfigLoader.load(null, Map.of("NOTESYNC_PORT", "9002"),
                Map.of("server.port", "9003", "auth.secret", SECRET));
        assertEquals(9003, config.server().port());
    }

    @Test
    void everyDocumentedEnvironmentVariableSetsItsKey() {
        NotesyncConfig config = ConfigLoader.load(null, Map.of(
                "NOTESYNC_MONGODB_URI", "mongodb://db.example:27017",
                "NOTESYNC_DATA_DIR", "/var/lib/notesync",
                "NOTESYNC_PING_INTERVAL_MS", "300",
                "NOTESYNC_PING_TIMEOUT_MS", "200",
                "NOTESYNC_MAX_PAYLOAD_BYTES", "2048",
                "NOTESYNC_CONNECT_TIMEOUT_MS", "1000"), WITH_SECRET);
        assertEquals("mongodb://db.example:27017", config.mongodb().uri());
        assertEquals(Path.of("/var/lib/notesync"), config.storage().dataDir());
        assertEquals(300, config.socketio().pingIntervalMs());
        assertEquals(200, config.socketio().pingTimeoutMs());
        assertEquals(2048, config.socketio().maxPayloadBytes());
        assertEquals(1000, config.socketio().connectTimeoutMs());
    }

    @Test
    void anUnknownKeyInTheFileIsNamed() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file("auth:\n  secrte: x\n"), Map.of(), WITH_SECRET));
        assertTrue(e.getMessage().contains("'auth.secrte'"), e.getMessage());
    }

    @Test
    void anUnknownSectionIsNamed() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file("sever:\n  port: 1\n"), Map.of(), WITH_SECRET));
        assertTrue(e.getMessage().contains("'sever'"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("NOTESYNC_PORT", "eighty"), WITH_SECRET));
        assertTrue(e.getMessage().contains("'server.port'"), e.getMessage());
    }

    @Test
    void aPortOutOfRangeIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("server.port", "70000", "auth.secret", SECRET)));
        assertTrue(e.getMessage().contains("'server.port'"), e.getMessage());
    }

    @Test
    void aPasswordMinimumOutsideWhatBcryptTakesAndANonPositiveTimestampLimitAreNamed() {
        for (String[] bad : new String[][] {{"auth.minPasswordLength", "0"}, {"auth.minPasswordLength", "73"},
                {"limits.maxTimestampSeconds", "0"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                    Map.of("auth.secret", SECRET, bad[0], bad[1])));
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
        NotesyncConfig defaults = ConfigLoader.load(null, Map.of(), WITH_SECRET);
        assertEquals(8, defaults.auth().minPasswordLength());
        assertEquals(604_800, defaults.limits().maxTimestampSeconds());
    }

    @Test
    void aPerSocketBufferBoundUnderTwoPayloadsIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("auth.secret", SECRET, "socketio.maxBufferedBytes", "1500000")));
        assertTrue(e.getMessage().contains("socketio.maxBufferedBytes"), e.getMessage());
    }

    @Test
    void aProcessBufferBudgetUnderOneSocketsBoundIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("auth.secret", SECRET, "socketio.maxBufferedBytesTotal", "3000000")));
        assertTrue(e.getMessage().contains("socketio.maxBufferedBytesTotal"), e.getMessage());
        assertEquals(0, ConfigLoader.load(null, Map.of(), WITH_SECRET).socketio().maxBufferedBytesTotal(),
                "0 (sized from the JVM's limits) by default");
    }

    @Test
    void aMissingSecretRefusesToStart() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("'auth.secret'"), e.getMessage());
    }

    @Test
    void aTooShortHs256SecretRefusesToStart() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("auth.secret", "short")));
        assertTrue(e.getMessage().contains("'auth.secret'") && e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void anUnknownSettingIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("socketio.pingIntervall", "1", "auth.secret", SECRET)));
        assertTrue(e.getMessage().contains("'socketio.pingIntervall'"), e.getMessage());
    }

    @Test
    void theMetricsTokenIsOffByDefaultLongWhenSetAndNamedWhenNot() {
        assertNull(ConfigLoader.load(null, Map.of(), WITH_SECRET).metrics().token());
        String token = "0123456789abcdef0123456789abcdef";
        assertEquals(token, ConfigLoader.load(null, Map.of("NOTESYNC_METRICS_TOKEN", token), WITH_SECRET).metrics().token());
        for (String bad : new String[] {"short", "0123456789abcdef 0123456789abcdef"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(null, Map.of(), Map.of("auth.secret", SECRET, "metrics.token", bad)));
            assertTrue(e.getMessage().contains("'metrics.token'"), e.getMessage());
        }
    }

    @Test
    void theExampleConfigFileIsValid() {
        Path example = Path.of("..", "config", "notesync.yml");
        NotesyncConfig config = ConfigLoader.load(example, Map.of(), Map.of());
        assertEquals(8080, config.server().port());
        assertEquals("127.0.0.1", config.server().host(), "the README's run command stays on loopback with the published secret");
    }

    @Test
    void allowedOriginsComeAsAListOrOneCommaSeparatedString() throws Exception {
        NotesyncConfig fromFile = ConfigLoader.load(file("http:\n  allowedOrigins:\n    - https://app.example.com\n    - chrome-extension://abc\n"),
                Map.of(), WITH_SECRET);
        assertEquals(java.util.List.of("https://app.example.com", "chrome-extension://abc"), fromFile.http().allowedOrigins());
        NotesyncConfig fromEnv = ConfigLoader.load(null,
                Map.of("NOTESYNC_ALLOWED_ORIGINS", "https://a.example, chrome-extension://xyz"), WITH_SECRET);
        assertEquals(java.util.List.of("https://a.example", "chrome-extension://xyz"), fromEnv.http().allowedOrigins());
        assertEquals(java.util.List.of(), ConfigLoader.load(null, Map.of(), WITH_SECRET).http().allowedOrigins());
    }

    @Test
    void aWildcardOrAPathInAllowedOriginsIsRefusedByName() {
        for (String bad : new String[] {"*", "null", "https://app.example.com/", "https://app.example.com/path"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(null, Map.of(), Map.of("auth.secret", SECRET, "http.allowedOrigins", bad)));
            assertTrue(e.getMessage().contains("'http.allowedOrigins'"), e.getMessage());
        }
    }

    @Test
    void sameSiteNoneNeedsSecure() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("auth.secret", SECRET, "cookie.sameSite", "None", "cookie.secure", "false")));
        assertTrue(e.getMessage().contains("'cookie.secure'"), e.getMessage());
        ConfigException lax = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("auth.secret", SECRET, "cookie.sameSite", "lax")));
        assertTrue(lax.getMessage().contains("'cookie.sameSite'"), lax.getMessage());
    }

    @Test
    void authLifecycleDefaults() {
        NotesyncConfig config = ConfigLoader.load(null, Map.of(), WITH_SECRET);
        assertEquals(900, config.auth().accessTokenTtlSeconds());
        assertEquals(10, config.auth().refreshReuseGraceSeconds());
        assertEquals("notesync_refresh", config.cookie().name());
        assertTrue(config.cookie().secure());
    }
}
