package io.notesync.socket;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.BroadcastOperations;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.listener.DataListener;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenRejection;
import io.notesync.auth.TokenVerifier;
import io.notesync.logging.LogFields;
import io.notesync.logging.LogText;
import io.notesync.notes.Note;
import io.notesync.notes.NoteDraft;
import io.notesync.notes.NoteJson;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.PacketEnvelope;
import io.notesync.notes.PacketParser;
import io.notesync.notes.ParseResult;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.notes.StoreOutcome;
import io.notesync.notes.StoredPacket;
import io.notesync.notes.ValidPacket;
import io.notesync.engine.SocketEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What happens to a {@code packet}, start to end. Runs on the Netty event loop up to the store
 * hand-off, which never blocks; the rest runs when the database has answered, back on the same
 * event loop: the writer thread only completes the future, and the answers are built and written
 * on the thread that owns the socket's channel (one hop there and one back, no thread between).
 *
 * <ol>
 *   <li>token: the packet's {@code accessToken} if present (renewing the socket), else the socket's;</li>
 *   <li>the user's rate limit;</li>
 *   <li>parse and clean;</li>
 *   <li>store, idempotent on (username, packetId);</li>
 *   <li>after the database acknowledged: {@code fPacket} to the user's other sockets;</li>
 *   <li>{@code confirmation} and ack to the sender, in the order the socket sent its packets.</li>
 * </ol>
 * Every packet gets exactly one answer: {@code confirmation}, {@code packetError} or {@code invalidToken}.
 */
final class PacketFlow implements DataListener<Object> {

    private static final Logger log = LoggerFactory.getLogger(PacketFlow.class);
    static final String EVENT = "packet";
    static final String FORWARD_EVENT = "fPacket";

    private final AuthenticatedSockets sockets;
    private final ConnectionGate gate;
    private final TokenVerifier verifier;
    private final RateLimiter rateLimiter;
    private final PacketParser parser;
    private final NoteRepository repository;
    private final Function<String, BroadcastOperations> room;
    private final PacketStats stats;
    private final Clock clock;
    private final InFlight inFlight = new InFlight();
    private volatile boolean draining;

    PacketFlow(AuthenticatedSockets sockets, ConnectionGate gate, TokenVerifier verifier, RateLimiter rateLimiter, PacketParser parser,
               NoteRepository repository, Function<String, BroadcastOperations> room, PacketStats stats, Clock clock) {
        this.sockets = sockets;
        this.gate = gate;
        this.verifier = verifier;
        this.rateLimiter = rateLimiter;
        this.parser = parser;
        this.repository = repository;
        this.room = room;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public void onData(SocketIOClient client, Object payload, AckRequest ack) {
        PacketEnvelope envelope = PacketParser.envelope(payload);
        inFlight.begin();
        AuthenticatedSocket socket = sockets.of(client);
        if (socket == null) {
            // The CONNECT's decision may still be under way on another event loop: take it here.
            ConnectionGate.Refusal refused = gate.decide(client);
            socket = sockets.of(client);
            if (socket == null) {
                deliver(client, ack, notAdmitted(refused, envelope.packetId()));
                return;
            }
        }
        AuthenticatedSocket authenticated = socket;
        authenticated.answerInOrder(process(authenticated, envelope, payload),
                answer -> deliver(authenticated.client(), ack, answer));
    }

    /**
     * The answer to a packet of a socket that was not admitted. A socket refused for a valid token
     * (connectionRefused, being disconnected) has no token reason of its own: its racing packet is
     * answered as unauthenticated ({@code missing}), as before, with the refusal's message; the
     * client resends it after reconnecting.
     */
    private static Answer notAdmitted(ConnectionGate.Refusal refused, String packetId) {
        if (refused == null) {
            return Answer.invalidToken(TokenRejection.MISSING, "the socket is not authenticated", packetId);
        }
        TokenRejection reason = refused.tokenRejection() != null ? refused.tokenRejection() : TokenRejection.MISSING;
        return Answer.invalidToken(reason, refused.message(), packetId);
    }

    /** From now on every packet is refused as retryable, so clients resend it to a server that stays. */
    void stopAccepting() {
        draining = true;
    }

    /** Waits until every packet received so far has been answered; false if {@code timeout} passed first. */
    boolean awaitAnswered(Duration timeout) throws InterruptedException {
        return inFlight.awaitNone(timeout);
    }

    private CompletableFuture<Answer> process(AuthenticatedSocket socket, PacketEnvelope envelope, Object payload) {
        if (draining) {
            return CompletableFuture.completedFuture(Answer.packetError(Answer.ErrorCode.STORAGE_UNAVAILABLE,
                    envelope.packetId(), null, "the server is shutting down; send the packet again after reconnecting"));
        }
        Answer refused = checkToken(socket, envelope);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        if (!rateLimiter.tryAcquire(socket.username())) {
            return CompletableFuture.completedFuture(Answer.packetError(Answer.ErrorCode.RATE_LIMITED,
                    envelope.packetId(), null, "too many packets; keep this one and send it again later"));
        }
        ParseResult parsed = parser.parse(payload);
        if (parsed instanceof ParseResult.Rejected rejected) {
            Answer refusal = Answer.packetError(rejected.problem());
            try (LogFields fields = LogFields.packet(socket.username(), socket.client().getSessionId(),
                    rejected.problem().packetId(), String.valueOf(refusal.body().get("code")))) {
                log.debug("packet {} of {} rejected: {} {}", LogText.of(rejected.problem().packetId()), LogText.of(socket.username()),
                        LogText.of(rejected.problem().field()), LogText.of(rejected.problem().message()));
            }
            return CompletableFuture.completedFuture(refusal);
        }
        ValidPacket packet = ((ParseResult.Accepted) parsed).packet();
        StoredPacket stored = toStore(socket.username(), packet);
        long started = System.nanoTime();
        // Both outcomes continue on this socket's event loop, whichever thread completed the store.
        return repository.store(stored).handleAsync((outcome, failure) -> {
            if (failure == null) {
                try {
                    stats.stored(Duration.ofNanos(System.nanoTime() - started));
                    return afterStore(socket, packet, stored, outcome);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            return storeFailed(packet.packetId(), socket, failure);
        }, SocketEngine.callersEventLoop());
    }

    /** Steps 5 and 6: the database has acknowledged. */
    private Answer afterStore(AuthenticatedSocket socket, ValidPacket packet, StoredPacket stored, StoreOutcome outcome) {
        if (outcome == StoreOutcome.STORED) {
            room.apply(socket.username()).sendEvent(FORWARD_EVENT, socket.client(), forwardBody(stored));
        }
        String outcomeName = outcome.name().toLowerCase(Locale.ROOT);
        try (LogFields fields = LogFields.packet(socket.username(), socket.client().getSessionId(), packet.packetId(), outcomeName)) {
            log.info("packet {} of {}: {} ({} notes, {})", LogText.of(packet.packetId()), LogText.of(socket.username()),
                    outcomeName, outcome == StoreOutcome.STORED ? stored.notes().size() : 0,
                    LogText.of(packet.video().logName()));
        }
        return Answer.confirmation(packet.packetId(), outcome, stored.notes().size(), packet.video());
    }

    /** Step 1. Returns the refusal, or null when the packet may go on. */
    private Answer checkToken(AuthenticatedSocket socket, PacketEnvelope envelope) {
        if (!envelope.hasAccessToken()) {
            if (socket.isExpired(clock.instant())) {
                return Answer.invalidToken(TokenRejection.EXPIRED, "the access token has expired", envelope.packetId());
            }
            // A map lookup: the socket's own token against its user's revocation moment, which may
            // have been set since the socket connected (the socket is being ended meanwhile).
            if (verifier.isRevoked(socket.username(), socket.issuedAt())) {
                return Answer.invalidToken(TokenRejection.REVOKED, TokenVerifier.REVOKED_MESSAGE, envelope.packetId());
            }
            return null;
        }
        TokenCheck check = verifier.check(envelope.accessToken());
        if (check instanceof TokenCheck.Rejected rejected) {
            return Answer.invalidToken(rejected.reason(), rejected.message(), envelope.packetId());
        }
        TokenCheck.Valid valid = (TokenCheck.Valid) check;
        if (!valid.username().equals(socket.username())) {
            return Answer.invalidToken(TokenRejection.USER_MISMATCH,
                    "the packet's accessToken belongs to another user than this socket's", envelope.packetId());
        }
        socket.issuedAt(valid.issuedAt());
        if (valid.expiresAt().isAfter(socket.expiresAt())) {
            sockets.renew(socket, valid.expiresAt());
        }
        return null;
    }

    private StoredPacket toStore(String username, ValidPacket packet) {
        // Millisecond precision: what MongoDB keeps, so fPacket and a later read agree.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Note> notes = new ArrayList<>(packet.notes().size());
        for (NoteDraft draft : packet.notes()) {
            notes.add(new Note(repository.newNoteId(), draft.text(), draft.timestamp(), now));
        }
        return new StoredPacket(username, packet.packetId(), packet.video(), notes, now);
    }

    private static Map<String, Object> forwardBody(StoredPacket packet) {
        List<Map<String, Object>> notes = new ArrayList<>(packet.notes().size());
        for (Note note : packet.notes()) {
            notes.add(NoteJson.of(note));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("packetId", packet.packetId());
        body.put("videoKey", packet.video().key());
        body.put("videoUrl", packet.video().url());
        body.put("notes", notes);
        return body;
    }

    private static Answer storeFailed(String packetId, AuthenticatedSocket socket, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String username = socket.username();
        if (cause instanceof StorageUnavailableException || cause instanceof TimeoutException) {
            try (LogFields fields = LogFields.packet(username, socket.client().getSessionId(), packetId,
                    Answer.ErrorCode.STORAGE_UNAVAILABLE.wireName())) {
                log.warn("packet {} of {} not stored: {}", LogText.of(packetId), LogText.of(username),
                        cause instanceof TimeoutException ? "the database did not answer in time" : cause.getMessage());
            }
            return Answer.packetError(Answer.ErrorCode.STORAGE_UNAVAILABLE, packetId, null,
                    "the database is unavailable; keep the packet and send it again later");
        }
        try (LogFields fields = LogFields.packet(username, socket.client().getSessionId(), packetId,
                Answer.ErrorCode.INTERNAL.wireName())) {
            log.error("packet {} of {} failed", LogText.of(packetId), LogText.of(username), cause);
        }
        return Answer.packetError(Answer.ErrorCode.INTERNAL, packetId, null, "internal error");
    }

    private void deliver(SocketIOClient client, AckRequest ack, Answer answer) {
        try {
            stats.answered(answer.outcome());
            client.sendEvent(answer.event(), answer.body());
            if (ack.isAckRequested()) {
                ack.sendAckData(answer.ackBody());
            }
        } finally {
            inFlight.end();
        }
    }
}
