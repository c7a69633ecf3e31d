package io.notesync.protocol;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second web origin for the browser tests, {@code http://localhost:PORT}: a tiny static server
 * for the web app's files from the classpath (as the server jar ships them, the socket.io-client
 * bundle included) and for the test pages of {@code browser/pages/}. Same site as notesync on
 * {@code localhost}, another origin.
 */
final class WebOrigin implements AutoCloseable {

    private final HttpServer server;

    WebOrigin(Path pagesDir) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, pagesDir);
            }
        });
        server.start();
    }

    String origin() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, Path pagesDir) throws IOException {
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
