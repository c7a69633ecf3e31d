package io.notesync.socket;

import io.notesync.auth.TokenRejection;
import io.notesync.notes.PacketProblem;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.Video;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one answer a packet gets: an event to the sender, and the same body (wrapped) for the
 * client's acknowledgement callback. Bodies are maps so the JSON matches docs/protocol.md key for key.
 */
record Answer(String event, Map<String, Object> body, Map<String, Object> ackBody, PacketOutcome outcome) {

    static final String CONFIRMATION = "confirmation";
    static final String PACKET_ERROR = "packetError";
    static final String INVALID_TOKEN = "invalidToken";

    static Answer confirmation(String packetId, StoreOutcome outcome, int stored, Video video) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("packetId", packetId);
        body.put("status", outcome == StoreOutcome.STORED ? "stored" : "duplicate");
        body.put("stored", outcome == StoreOutcome.STORED ? stored : 0);
        body.put("videoKey", video.key());
        return new Answer(CONFIRMATION, body, body,
                outcome == StoreOutcome.STORED ? PacketOutcome.STORED : PacketOutcome.DUPLICATE);
    }

    static Answer packetError(ErrorCode code, String packetId, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (packetId != null) {
            body.put("packetId", packetId);
        }
        body.put("code", code.wireName());
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        body.put("retryable", code.retryable());
        return new Answer(PACKET_ERROR, body, failed(body), code.outcome());
    }

    static Answer packetError(PacketProblem problem) {
        ErrorCode code = problem.kind() == PacketProblem.Kind.TOO_LARGE ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PACKET;
        return packetError(code, problem.packetId(), problem.field(), problem.message());
    }

    static Answer invalidToken(TokenRejection reason, String message, String packetId) {
        Map<String, Object> body = invalidTokenBody(reason, message);
        if (packetId != null) {
            body.put("packetId", packetId);
        }
        return new Answer(INVALID_TOKEN, body, failed(body), PacketOutcome.UNAUTHORIZED);
    }

    static Map<String, Object> invalidTokenBody(TokenRejection reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason.wireName());
        body.put("message", message);
        return body;
    }

    private static Map<String, Object> failed(Map<String, Object> error) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("ok", false);
        ack.put("error", error);
        return ack;
    }

    /** The {@code code} of {@code packetError}, and whether the client should send the packet again. */
    enum ErrorCode {
        INVALID_PACKET("invalidPacket", false, PacketOutcome.INVALID),
        TOO_LARGE("tooLarge", false, PacketOutcome.INVALID),
        RATE_LIMITED("rateLimited", true, PacketOutcome.RATE_LIMITED),
        STORAGE_UNAVAILABLE("storageUnavailable", true, PacketOutcome.STORAGE_UNAVAILABLE),
        INTERNAL("internal", false, PacketOutcome.INTERNAL);

        private final String wireName;
        private final boolean retryable;
        private final PacketOutcome outcome;

        ErrorCode(String wireName, boolean retryable, PacketOutcome outcome) {
            this.wireName = wireName;
            this.retryable = retryable;
            this.outcome = outcome;
        }

        PacketOutcome outcome() {
            return outcome;
        }

        String wireName() {
            return wireName;
        }

        boolean retryable() {
            return retryable;
        }
    }
}
