package io.notesync.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One line of the route table: a method, a path and what answers it. A path ending in
 * {@value #ID} takes any rest after its prefix (the handler reads and checks the id).
 */
record Route(HttpMethod method, String path, Handler handler) {

    static final String ID = "{id}";

    /** Answers a request; runs on the HTTP executor, so it may block. */
    @FunctionalInterface
    interface Handler {
        HttpAnswer handle(HttpRequestData request);
    }

    boolean matches(String requestPath) {
        return path.endsWith(ID)
                ? requestPath.startsWith(path.substring(0, path.length() - ID.length()))
                : path.equals(requestPath);
    }
}
