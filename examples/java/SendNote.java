import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Sends one note to notesync the way an extension does, on socket.io-client-java, and shows both
 * answers (the same as examples/send-note.mjs):
 *
 * <pre>java -cp CLASSPATH examples/java/SendNote.java URL TOKEN</pre>
 *
 * Two sockets of the token's user connect; the first sends a {@code packet} and prints its
 * {@code confirmation}, the second prints the {@code fPacket} it receives for that packet. Exits 0
 * when both arrived, 1 otherwise.
 */
public class SendNote {

    private static final long WAIT_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp CLASSPATH examples/java/SendNote.java URL TOKEN");
            System.exit(2);
        }
        IO.Options options = IO.Options.builder()
                .setAuth(Map.of("token", args[1]))
                .setTransports(new String[] {"websocket"})
                .setReconnection(false)
                .setForceNew(true)
                .build();
        Socket sender = IO.socket(URI.create(args[0]), options);
        Socket otherTab = IO.socket(URI.create(args[0]), options);
        int exit = 1;
        try {
            String packetId = UUID.randomUUID().toString();
            CompletableFuture<JSONObject> forwarded = new CompletableFuture<>();
            otherTab.on("fPacket", answer -> completeIfFor(packetId, answer, forwarded));
            CompletableFuture<JSONObject> confirmed = new CompletableFuture<>();
            sender.on("confirmation", answer -> completeIfFor(packetId, answer, confirmed));
            // A refused token is accepted, answered with invalidToken, then disconnected: listen first.
            for (String refusal : new String[] {"packetError", "invalidToken"}) {
                sender.on(refusal, answer -> confirmed.completeExceptionally(
                        new IllegalStateException(refusal + ": " + answer[0])));
            }
            connect(sender);
            connect(otherTab);
            sender.emit("packet", new JSONObject()
                    .put("packetId", packetId)
                    .put("videoUrl", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s")
                    .put("notes", new JSONArray().put(new JSONObject()
                            .put("text", "the chorus starts here")
                            .put("timestamp", 42.5))));
            System.out.println("confirmation " + confirmed.get(WAIT_SECONDS, TimeUnit.SECONDS));
            System.out.println("fPacket " + forwarded.get(WAIT_SECONDS, TimeUnit.SECONDS));
            exit = 0;
        } catch (Exception e) {
            System.err.println("SendNote: " + (e.getCause() != null ? e.getCause() : e));
        } finally {
            sender.disconnect();
            otherTab.disconnect();
        }
        // socket.io-client-java's OkHttp threads would keep the JVM alive for a minute.
        System.exit(exit);
    }

    private static void connect(Socket socket) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, ignored -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, error -> connected.completeExceptionally(
                new IllegalStateException("connect_error: " + error[0])));
        socket.connect();
        connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void completeIfFor(String packetId, Object[] answer, CompletableFuture<JSONObject> future) {
        if (answer.length > 0 && answer[0] instanceof JSONObject body && packetId.equals(body.optString("packetId"))) {
            future.complete(body);
        }
    }
}
