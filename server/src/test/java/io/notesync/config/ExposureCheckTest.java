package io.notesync.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExposureCheckTest {

    private static final String PUBLISHED = "dev-only-secret-change-me-0123456789abcdef";
    private static final String OWN = "an-operators-own-secret-0123456789-abcdefgh";

    private static NotesyncConfig config(String host, String secret) {
        return ConfigLoader.load(null, Map.of(), Map.of("server.host", host, "auth.secret", secret));
    }

    @Test
    void thePublishedSecretIsRefusedOnAnyNonLoopbackAddressWithTheWayOut() {
        for (String host : List.of("0.0.0.0", "::", "192.0.2.10")) {
            ConfigException e = assertThrows(ConfigException.class, () -> ExposureCheck.requireSafeToListen(config(host, PUBLISHED)));
            for (String named : List.of("auth.secret", "server.host", host, "NOTESYNC_JWT_SECRET", "127.0.0.1")) {
                assertTrue(e.getMessage().contains(named), named + " in " + e.getMessage());
            }
        }
    }

    @Test
    void thePublishedSecretIsFineOnLoopbackAndAnOwnSecretAnywhere() {
        for (String host : List.of("127.0.0.1", "::1", "localhost")) {
            assertDoesNotThrow(() -> ExposureCheck.requireSafeToListen(config(host, PUBLISHED)), host);
        }
        assertDoesNotThrow(() -> ExposureCheck.requireSafeToListen(config("0.0.0.0", OWN)));
    }

    @Test
    void aNameThatDoesNotResolveIsNotLoopback() {
        assertFalse(ExposureCheck.loopbackOnly("no-such-host.invalid"));
    }

    /** A secret published in any config file of the repository must be one the check knows. */
    @Test
    void everySecretInTheRepositorysConfigFilesIsKnownAsPublished() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "config"))) {
            List<Path> yml = files.filter(f -> f.toString().endsWith(".yml")).toList();
            assertFalse(yml.isEmpty());
            for (Path file : yml) {
                String secret = ConfigLoader.load(file, Map.of(), Map.of()).auth().secret();
                assertTrue(ExposureCheck.PUBLISHED_SECRETS.contains(secret), file + " publishes a secret the check does not know");
            }
        }
    }
}
