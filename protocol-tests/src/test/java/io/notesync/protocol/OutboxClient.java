package io.notesync.protocol;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that keeps its side of docs/protocol.md like the extension does: every packet stays in the
 * outbox until confirmed (stored or duplicate); what is unconfirmed is resent after each
 * (re)connect and every {@code resendMillis}; it emits only while connected; a retryable error
 * keeps the packet, a final one drops it.
 */
final class OutboxClient implements AutoCloseable {

    private final Socket socket;
    private final Map<String, JSONObject> outbox = new ConcurrentHashMap<>();
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private final AtomicInteger retryableErrors = new AtomicInteger();
    private final ScheduledExecutorService resender = Executors.newSingleThreadScheduledExecutor();

    OutboxClient(String url, String token, long resendMillis) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(true)
                .setReconnectionDelay(100)
                .setReconnectionDelayMax(500)
                .setTransports(new String[] {WebSocket.NAME})
                .setAuth(Map.of("token", token))
                .build();
        socket = IO.socket(URI.create(url), options);
        socket.on(Socket.EVENT_CONNECT, args -> resendAll());
        socket.connect();
        resender.scheduleWithFixedDelay(this::resendAll, resendMillis, resendMillis, TimeUnit.MILLISECONDS);
    }

    void add(String packetId, JSONObject packet) {
        outbox.put(packetId, packet);
        send(packetId, packet);
    }

    private void resendAll() {
        outbox.forEach(this::send);
    }

    private void send(String packetId, JSONObject packet) {
        if (!socket.connected()) {
            return;
        }
        socket.emit("packet", new Object[] {packet}, (Ack) args -> onAnswer(packetId, (JSONObject) args[0]));
    }

    private void onAnswer(String packetId, JSONObject answer) {
        if (answer.optBoolean("ok")) {
            confirmed.add(packetId);
            outbox.remove(packetId);
            return;
        }
        JSONObject error = answer.optJSONObject("error");
        if (error != null && error.has("retryable") && !error.optBoolean("retryable")) {
            dropped.add(packetId);
            outbox.remove(packetId);
        } else {
            retryableErrors.incrementAndGet();
        }
    }

    boolean isEmpty() {
        return outbox.isEmpty();
    }

    int pending() {
        return outbox.size();
    }

    Set<String> confirmed() {
        return Set.copyOf(confirmed);
    }

    Set<String> dropped() {
        return Set.copyOf(dropped);
    }

    int retryableErrors() {
        return retryableErrors.get();
    }

    @Override
    public void close() {
        resender.shutdownNow();
        socket.close();
    }
}
