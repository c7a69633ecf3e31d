package io.notesync.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the configuration from four layers, each overriding the one before: built-in defaults,
 * the YAML file, environment variables, command-line settings. Every layer is a tree of the same
 * keys, so an unknown or mistyped key is reported by its dotted name whichever layer it came from.
 */
public final class ConfigLoader {

    /** Environment variables and the dotted key each one sets. */
    public static final Map<String, String> ENVIRONMENT_KEYS = Map.ofEntries(
            Map.entry("NOTESYNC_HOST", "server.host"),
            Map.entry("NOTESYNC_PORT", "server.port"),
            Map.entry("NOTESYNC_JWT_SECRET", "auth.secret"),
            Map.entry("NOTESYNC_MONGODB_URI", "mongodb.uri"),
            Map.entry("NOTESYNC_DATA_DIR", "storage.dataDir"),
            Map.entry("NOTESYNC_PING_INTERVAL_MS", "socketio.pingIntervalMs"),
            Map.entry("NOTESYNC_PING_TIMEOUT_MS", "socketio.pingTimeoutMs"),
            Map.entry("NOTESYNC_MAX_PAYLOAD_BYTES", "socketio.maxPayloadBytes"),
            Map.entry("NOTESYNC_CONNECT_TIMEOUT_MS", "socketio.connectTimeoutMs"),
            Map.entry("NOTESYNC_REDIS_URI", "cluster.redis.uri"),
            Map.entry("NOTESYNC_ALLOWED_ORIGINS", "http.allowedOrigins"),
            Map.entry("NOTESYNC_PUBLIC_URL", "http.publicUrl"),
            Map.entry("NOTESYNC_METRICS_TOKEN", "metrics.token"),
            Map.entry("NOTESYNC_LOG_FORMAT", "logging.format"),
            Map.entry("NOTESYNC_TRUSTED_PROXIES", "http.trustedProxies"),
            Map.entry("NOTESYNC_TLS_CERT_FILE", "server.tls.certFile"),
            Map.entry("NOTESYNC_TLS_KEY_FILE", "server.tls.keyFile"));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // A list key set from the environment or --set arrives as one (comma-separated) string.
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    private ConfigLoader() {
    }

    /**
     * @param file the YAML file, or null for defaults only
     * @param environment usually {@code System.getenv()}
     * @param settings dotted keys from the command line, e.g. {@code server.port=9000}
     */
    public static NotesyncConfig load(Path file, Map<String, String> environment, Map<String, String> settings) {
        ObjectNode tree = readDefaults();
        if (file != null) {
            merge(tree, readFile(file), "");
        }
        ENVIRONMENT_KEYS.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                set(tree, key, value, variable);
            }
        });
        settings.forEach((key, value) -> set(tree, key, value, "--set " + key));
        NotesyncConfig config = bind(tree);
        ConfigValidator.validate(config);
        return config;
    }

    /** Parses {@code key=value} pairs as given to {@code --set}. */
    public static Map<String, String> parseSettings(Iterable<String> pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set takes key=value, got '" + pair + "'");
            }
            settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return settings;
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults.yml is unreadable", e);
        }
    }

    private static JsonNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("config file " + file + " must hold a mapping of sections");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode target, JsonNode source, String prefix) {
        source.fields().forEachRemaining(entry -> {
            String key = prefix + entry.getKey();
            JsonNode existing = target.get(entry.getKey());
            if (existing == null) {
                throw new ConfigException("unknown config key '" + key + "'" + suggestion(target, prefix));
            }
            if (existing.isObject()) {
                if (!entry.getValue().isObject()) {
                    throw new ConfigException("config key '" + key + "' must be a section with keys "
                            + keysOf(existing));
                }
                merge((ObjectNode) existing, entry.getValue(), key + ".");
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        });
    }

    private static void set(ObjectNode tree, String dottedKey, String value, String source) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode section = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = section.get(parts[i]);
            if (child == null || !child.isObject()) {
                throw new ConfigException("unknown config key '" + dottedKey + "' (from " + source + ")");
            }
            section = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (!section.has(leaf) || section.get(leaf).isObject()) {
            throw new ConfigException("unknown config key '" + dottedKey + "' (from " + source + ")");
        }
        // Text is converted to the key's type when the tree is bound, so "9000" becomes a port.
        section.put(leaf, value);
    }

    private static NotesyncConfig bind(ObjectNode tree) {
        try {
            return YAML.treeToValue(tree, NotesyncConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown config key '" + path(e) + "'", e);
        } catch (InvalidFormatException e) {
            throw new ConfigException("config key '" + path(e) + "' has the value '" + e.getValue()
                    + "', which is not a valid " + e.getTargetType().getSimpleName(), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException("config key '" + path(e) + "' must be a "
                    + (e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName()), e);
        } catch (IOException e) {
            throw new ConfigException("config is unusable: " + e.getMessage(), e);
        }
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String suggestion(ObjectNode section, String prefix) {
        return prefix.isEmpty()
                ? "; the sections are " + keysOf(section)
                : "; the keys of '" + prefix.substring(0, prefix.length() - 1) + "' are " + keysOf(section);
    }

    private static String keysOf(JsonNode section) {
        StringBuilder keys = new StringBuilder("[");
        section.fieldNames().forEachRemaining(name -> keys.append(keys.length() > 1 ? ", " : "").append(name));
        return keys.append(']').toString();
    }
}
