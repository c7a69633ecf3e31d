package io.notesync.cli;

import io.notesync.config.ConfigLoader;
import io.notesync.config.NotesyncConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options every command that reads the configuration shares. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML config file (see config/notesync.yml). Without it, built-in defaults apply.")
    Path configFile;

    @Option(names = "--port", paramLabel = "PORT", description = "Overrides server.port (env NOTESYNC_PORT).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Overrides storage.dataDir (env NOTESYNC_DATA_DIR).")
    Path dataDir;

    @Option(names = "--mongodb-uri", paramLabel = "URI", description = "Overrides mongodb.uri (env NOTESYNC_MONGODB_URI).")
    String mongodbUri;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Overrides logging.format (env NOTESYNC_LOG_FORMAT): json writes one JSON object per line.")
    String logFormat;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides any config key, e.g. --set socketio.pingIntervalMs=10000. Repeatable.")
    List<String> settings = new ArrayList<>();

    /** Flags beat environment variables, which beat the file, which beats the defaults. */
    NotesyncConfig load() {
        Map<String, String> overrides = new LinkedHashMap<>(ConfigLoader.parseSettings(settings));
        if (port != null) {
            overrides.put("server.port", port.toString());
        }
        if (dataDir != null) {
            overrides.put("storage.dataDir", dataDir.toString());
        }
        if (mongodbUri != null) {
            overrides.put("mongodb.uri", mongodbUri);
        }
        if (logFormat != null) {
            overrides.put("logging.format", logFormat);
        }
        return ConfigLoader.load(configFile, System.getenv(), overrides);
    }
}
