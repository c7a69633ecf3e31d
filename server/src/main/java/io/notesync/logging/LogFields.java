package io.notesync.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * The named fields of the log lines logged while it is open: {@code user}, {@code socket},
 * {@code packetId}, {@code outcome}, as SLF4J MDC entries. The text format leaves them out (its
 * message says the same); the JSON format ({@link LogFormat}) writes them as the line's
 * {@code mdc} object, so a log collector can filter by user or packet without parsing messages.
 * Values are written as {@link LogText} writes them into messages. Use with try-with-resources
 * on the thread that logs; closing removes exactly the fields it set.
 */
public final class LogFields implements AutoCloseable {

    public static final String USER = "user";
    public static final String SOCKET = "socket";
    public static final String PACKET_ID = "packetId";
    public static final String OUTCOME = "outcome";

    private final List<String> keys = new ArrayList<>(4);

    private LogFields() {
    }

    /** A socket's lines: its user (null when not known) and its session id. */
    public static LogFields socket(String user, Object socket) {
        return new LogFields().with(USER, user).with(SOCKET, socket);
    }

    /** A packet's lines: its socket's fields, its packetId and what became of it. */
    public static LogFields packet(String user, Object socket, String packetId, String outcome) {
        return socket(user, socket).with(PACKET_ID, packetId).with(OUTCOME, outcome);
    }

    /** Adds a field; a null value is left out. */
    public LogFields with(String key, Object value) {
        if (value != null) {
            MDC.put(key, LogText.of(value));
            keys.add(key);
        }
        return this;
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
