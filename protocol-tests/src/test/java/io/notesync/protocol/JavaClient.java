package io.notesync.protocol;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.client.SocketOptionBuilder;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A socket.io-client-java socket that records every event it receives, for tests to wait on. */
final class JavaClient implements AutoCloseable {

    // A deadline, not a pause: events come in milliseconds; a loaded 2-core machine took over 5 s.
    static final long WAIT_SECONDS = 20;

    private final Socket socket;
    private final Map<String, BlockingQueue<Object>> received = new ConcurrentHashMap<>();

    /** The queue of the transport's errors (not a Socket.IO event). */
    static final String TRANSPORT_ERROR = "(transport error)";

    private JavaClient(Socket socket) {
        this.socket = socket;
        for (String event : new String[] {"confirmation", "packetError", "invalidToken", "fPacket", "connectionRefused",
                "noteUpdated", "noteDeleted", Socket.EVENT_CONNECT, Socket.EVENT_DISCONNECT, Socket.EVENT_CONNECT_ERROR}) {
            socket.on(event, args -> queue(event).add(args.length > 0 && args[0] != null ? args[0] : "(none)"));
        }
        // The transport's own failures (an HTTP status, a dropped connection), which end the socket
        // with "transport error": what a test that sees a socket end unexpectedly needs to report.
        socket.io().on(Manager.EVENT_ERROR, args -> queue(TRANSPORT_ERROR).add(describe(args)));
    }

    /** Opens a socket with {@code auth: {token}} (null: no auth) over the given transports. */
    static JavaClient open(String url, String token, String... transports) {
        SocketOptionBuilder options = IO.Options.builder()
                .setReconnection(false)
                .setForceNew(true);
        if (token != null) {
            options.setAuth(Map.of("token", token));
        }
        if (transports.length > 0) {
            options.setTransports(transports);
        }
        JavaClient client = new JavaClient(IO.socket(URI.create(url), options.build()));
        client.socket.connect();
        return client;
    }

    /** Opens and waits until the server has accepted the socket. */
    static JavaClient connected(String url, String token, String... transports) throws InterruptedException {
        JavaClient client = open(url, token, transports);
        client.next(Socket.EVENT_CONNECT);
        return client;
    }

    BlockingQueue<Object> queue(String event) {
        return received.computeIfAbsent(event, e -> new LinkedBlockingQueue<>());
    }

    /** The next payload of {@code event}; fails the test when none arrives in time. */
    Object next(String event) throws InterruptedException {
        Object payload = queue(event).poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (payload == null) {
            throw new AssertionError("no '" + event + "' within " + WAIT_SECONDS + " s");
        }
        return payload;
    }

    JSONObject nextObject(String event) throws InterruptedException {
        return (JSONObject) next(event);
    }

    /** True when {@code event} arrives within {@code millis}. */
    boolean receives(String event, long millis) throws InterruptedException {
        return queue(event).poll(millis, TimeUnit.MILLISECONDS) != null;
    }

    void emit(String event, Object payload) {
        socket.emit(event, payload);
    }

    /** Emits with an acknowledgement callback and returns what the server acknowledged with. */
    CompletableFuture<JSONObject> emitWithAck(String event, Object payload) {
        CompletableFuture<JSONObject> ack = new CompletableFuture<>();
        socket.emit(event, new Object[] {payload}, (Ack) args -> ack.complete((JSONObject) args[0]));
        return ack;
    }

    /** For a failure message: whether the socket is connected, and why it ended if it did. */
    String state() {
        return "connected: " + socket.connected() + ", disconnects: " + queue(Socket.EVENT_DISCONNECT)
                + ", transport errors: " + queue(TRANSPORT_ERROR);
    }

    private static String describe(Object[] args) {
        if (args.length == 0 || args[0] == null) {
            return "(none)";
        }
        StringBuilder text = new StringBuilder();
        for (Throwable e = args[0] instanceof Throwable t ? t : null; e != null; e = e.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(e);
        }
        return text.length() == 0 ? String.valueOf(args[0]) : text.toString();
    }

    boolean connected() {
        return socket.connected();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** The packetId an acknowledgement answers, whether it confirms ({@code ok}) or reports an error. */
    static String packetIdOfAck(JSONObject ack) {
        JSONObject body = ack.optBoolean("ok") ? ack : ack.optJSONObject("error");
        return body == null ? null : body.optString("packetId", null);
    }

    static JSONObject packet(String packetId, String videoUrl, Object... textsAndTimestamps) {
        try {
            JSONArray notes = new JSONArray();
            for (int i = 0; i < textsAndTimestamps.length; i += 2) {
                notes.put(new JSONObject().put("text", textsAndTimestamps[i]).put("timestamp", textsAndTimestamps[i + 1]));
            }
            return new JSONObject().put("packetId", packetId).put("videoUrl", videoUrl).put("notes", notes);
        } catch (JSONException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
