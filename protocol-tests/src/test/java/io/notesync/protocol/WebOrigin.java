package io.notesync.protocol;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second web origin for the browser tests, {@code http://localhost:PORT}: a tiny static server
 * for the web app's files from the classpath (as the server jar ships them, the socket.io-client
 * bundle included) and for the test pages of {@code browser/pages/}. Same site as notesync on
 * {@code localhost}, another origin. Its {@code index.html} names notesync's origin in the
 * {@code notesync-origin} meta tag, as an operator who copies the web app does: the app takes its
 * server from there, never from the address bar.
 */
final class WebOrigin implements AutoCloseable {

    static final String ORIGIN_META = "<meta name=\"notesync-origin\" content=\"\">";

    private final HttpServer server;
    private volatile String notesyncOrigin;

    WebOrigin(Path pagesDir) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, pagesDir, notesyncOrigin);
            }
        });
        server.start();
    }

    /** The notesync the web app's copy here talks to (set once that server has started). */
    void notesyncOrigin(String origin) {
        this.notesyncOrigin = origin;
    }

    String origin() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, Path pagesDir, String notesyncOrigin) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/")) {
            path = "/index.html";
        }
        byte[] body = null;
        if (!path.contains("..")) {
            Path page = pagesDir.resolve(path.substring(1));
            if (Files.isRegularFile(page)) {
                body = Files.readAllBytes(page);
            } else {
                try (InputStream in = WebOrigin.class.getResourceAsStream("/web" + path)) {
                    body = in == null ? null : in.readAllBytes();
                }
            }
        }
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        if (path.equals("/index.html") && notesyncOrigin != null) {
            String page = new String(body, StandardCharsets.UTF_8);
            if (!page.contains(ORIGIN_META)) {
                throw new IllegalStateException("index.html has no empty notesync-origin meta tag to fill in");
            }
            body = page.replace(ORIGIN_META, "<meta name=\"notesync-origin\" content=\"" + notesyncOrigin + "\">")
                    .getBytes(StandardCharsets.UTF_8);
        }
        String type = path.endsWith(".html") ? "text/html; charset=utf-8"
                : path.endsWith(".css") ? "text/css; charset=utf-8"
                : "application/javascript; charset=utf-8";
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
