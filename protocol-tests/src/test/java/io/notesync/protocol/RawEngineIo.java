package io.notesync.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Engine.IO spoken by hand: HTTP long-polling requests and WebSocket frames, no Socket.IO client
 * library, so that tests see exactly what goes over the wire.
 */
final class RawEngineIo {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String RS = "\u001e";

    private final String base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    RawEngineIo(String baseUrl) {
        this.base = baseUrl;
    }

    URI uri(String query) {
        return URI.create(base + "/socket.io/?" + query);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String query) {
        return send(HttpRequest.newBuilder(uri(query)).GET());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return http.sendAsync(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String query, String body) {
        return send(HttpRequest.newBuilder(uri(query)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> poll(String sid) {
        return get("EIO=4&transport=polling&sid=" + sid);
    }

    CompletableFuture<HttpResponse<String>> pollAsync(String sid) {
        return getAsync("EIO=4&transport=polling&sid=" + sid);
    }

    CompletableFuture<HttpResponse<String>> pushAsync(String sid, String body) {
        return http.sendAsync(HttpRequest.newBuilder(uri("EIO=4&transport=polling&sid=" + sid))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> push(String sid, String body) {
        return post("EIO=4&transport=polling&sid=" + sid, body);
    }

    /** Opens a long-polling session; returns the handshake's JSON. */
    JsonNode openPolling() {
        HttpResponse<String> response = get("EIO=4&transport=polling");
        if (response.statusCode() != 200 || !response.body().startsWith("0")) {
            throw new AssertionError("handshake: " + response.statusCode() + " " + response.body());
        }
        return json(response.body().substring(1));
    }

    String openPollingSid() {
        return openPolling().get("sid").asText();
    }

    /** Opens a WebSocket; fails with the handshake's status when the server refuses it. */
    Ws websocket(String query) {
        return websocket(query, java.util.Map.of());
    }

    /** Opens a WebSocket with these request headers (e.g. {@code Authorization}). */
    Ws websocket(String query, java.util.Map<String, String> headers) {
        Ws ws = new Ws();
        URI uri = URI.create(base.replace("http://", "ws://") + "/socket.io/?" + query);
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder();
            headers.forEach(builder::header);
            ws.socket = builder.buildAsync(uri, ws).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode(), String.valueOf(refused.getResponse().body()));
            }
            throw new IllegalStateException(e);
        }
        return ws;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server refused a WebSocket handshake. */
    static final class Refused extends RuntimeException {
        final int status;
        final String body;

        Refused(int status, String body) {
            super("WebSocket refused with " + status + ": " + body);
            this.status = status;
            this.body = body;
        }
    }

    /** A WebSocket that queues every text message and remembers when and how it closed. */
    static final class Ws implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile long closedAtNanos;
        volatile long firstMessageAtNanos;
        volatile long lastMessageAtNanos;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (firstMessageAtNanos == 0) {
                    firstMessageAtNanos = System.nanoTime();
                }
                lastMessageAtNanos = System.nanoTime();
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedAtNanos = System.nanoTime();
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedAtNanos = System.nanoTime();
            closed.complete(-1);
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        /** The next text message, or null after {@code millis}. */
        String next(long millis) throws InterruptedException {
            return messages.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** The next message that is not a ping. */
        String nextNonPing(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                String message = messages.poll(Math.max(0, left), TimeUnit.MILLISECONDS);
                if (message == null || !message.equals("2")) {
                    return message;
                }
                send("3");
            }
        }

        boolean awaitClose(long millis) {
            try {
                closed.get(millis, TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        void abort() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
