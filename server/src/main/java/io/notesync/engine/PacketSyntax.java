package io.notesync.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Set;

/**
 * Reads one Engine.IO packet sent by a client (one WebSocket text frame, or one record of a
 * long-polling payload) far enough to know what the server must do with it, and whether the
 * Engine.IO v4 and Socket.IO v5 specifications allow it at all. Pure; no I/O.
 */
public final class PacketSyntax {

    /** What a client packet is, as far as the session's life is concerned. */
    public enum Kind {
        /** Not a packet the specifications allow from a client: the session is closed. */
        INVALID,
        /** Engine.IO close ({@code 1}). */
        CLOSE,
        /** Engine.IO pong ({@code 3}). */
        PONG,
        /** Socket.IO CONNECT ({@code 40}) to {@link Parsed#namespace()}, with an object payload or none. */
        CONNECT,
        /** Socket.IO DISCONNECT ({@code 41}) from {@link Parsed#namespace()}. */
        DISCONNECT,
        /** Any other Socket.IO packet (event, ack) for {@link Parsed#namespace()}. */
        NAMESPACE_PACKET,
        /** Other Engine.IO packets ({@code 2probe}, {@code 5}, {@code 6}, binary): netty-socketio's business. */
        OTHER
    }

    /**
     * @param namespace netty-socketio's name for it: {@code ""} for the main namespace {@code /}
     * @param event an event's name, when the packet is an event named by a string; else null
     */
    public record Parsed(Kind kind, String namespace, String event) {
        static Parsed of(Kind kind) {
            return new Parsed(kind, null, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Event names socket.io reserves; a client may not emit them. */
    private static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private PacketSyntax() {
    }

    public static Parsed parse(String packet) {
        if (packet.isEmpty()) {
            return Parsed.of(Kind.INVALID);
        }
        return switch (packet.charAt(0)) {
            case '1' -> Parsed.of(Kind.CLOSE);
            // Engine.IO v4: the server pings, the client pongs; only the upgrade probe goes the other way.
            case '2' -> Parsed.of("2probe".equals(packet) ? Kind.OTHER : Kind.INVALID);
            case '3' -> Parsed.of(Kind.PONG);
            case '4' -> socketIo(packet.substring(1));
            case '0', '5', '6', 'b' -> Parsed.of(Kind.OTHER);
            default -> Parsed.of(Kind.INVALID);
        };
    }

    /** A Socket.IO v5 packet: type, [attachments "-"], [namespace ","], [ack id], [JSON payload]. */
    static Parsed socketIo(String packet) {
        if (packet.isEmpty()) {
            return Parsed.of(Kind.INVALID);
        }
        char type = packet.charAt(0);
        if (type < '0' || type > '6') {
            return Parsed.of(Kind.INVALID);
        }
        int i = 1;
        if (type == '5' || type == '6') {
            int digits = skipDigits(packet, i);
            if (digits == i || digits >= packet.length() || packet.charAt(digits) != '-') {
                return Parsed.of(Kind.INVALID);
            }
            i = digits + 1;
        }
        String namespace = "";
        if (i < packet.length() && packet.charAt(i) == '/') {
            int comma = packet.indexOf(',', i);
            int end = comma < 0 ? packet.length() : comma;
            namespace = packet.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        i = skipDigits(packet, i); // ack id
        JsonNode payload;
        try {
            payload = i < packet.length() ? JSON.readTree(packet.substring(i)) : null;
        } catch (JsonProcessingException e) {
            return Parsed.of(Kind.INVALID);
        }
        Kind kind = switch (type) {
            case '0' -> payload == null || payload.isObject() ? Kind.CONNECT : Kind.INVALID;
            case '1' -> payload == null ? Kind.DISCONNECT : Kind.INVALID;
            case '2', '5' -> isEvent(payload) ? Kind.NAMESPACE_PACKET : Kind.INVALID;
            case '3', '6' -> payload != null && payload.isArray() ? Kind.NAMESPACE_PACKET : Kind.INVALID;
            // CONNECT_ERROR only ever goes from server to client.
            default -> Kind.INVALID;
        };
        boolean namedEvent = (type == '2' || type == '5') && kind == Kind.NAMESPACE_PACKET && payload.get(0).isTextual();
        return new Parsed(kind, namespace, namedEvent ? payload.get(0).asText() : null);
    }

    private static boolean isEvent(JsonNode payload) {
        if (payload == null || !payload.isArray() || payload.isEmpty()) {
            return false;
        }
        JsonNode name = payload.get(0);
        return name.isNumber() || (name.isTextual() && !RESERVED_EVENTS.contains(name.asText()));
    }

    private static int skipDigits(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
