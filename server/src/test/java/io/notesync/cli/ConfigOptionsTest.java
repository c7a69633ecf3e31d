package io.notesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigOptionsTest {

    @Test
    void theLogFormatFlagSetsLoggingFormat() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--log-format", "json", "--set", "auth.secret=a-secret-that-is-long-enough-0123456789");
        assertEquals("json", serve.options.load().logging().format());
    }
}
