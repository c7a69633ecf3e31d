package io.notesync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingConfigTest {

    private static final Map<String, String> WITH_SECRET = Map.of("auth.secret", "a-secret-that-is-long-enough-0123456789");

    @Test
    void theDefaultFormatIsForPeople() {
        assertEquals("text", ConfigLoader.load(null, Map.of(), WITH_SECRET).logging().format());
    }

    @Test
    void theEnvironmentChoosesJson() {
        assertEquals("json", ConfigLoader.load(null, Map.of("NOTESYNC_LOG_FORMAT", "json"), WITH_SECRET).logging().format());
    }

    @Test
    void anUnknownFormatIsRefusedByName() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("auth.secret", "a-secret-that-is-long-enough-0123456789", "logging.format", "xml")));
        assertTrue(e.getMessage().contains("logging.format"), e.getMessage());
    }
}
