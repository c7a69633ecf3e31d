package io.notesync.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/** A route's successful answer: a status, a JSON body (null: none) and cookies to set. */
record HttpAnswer(HttpResponseStatus status, Object body, List<String> setCookies) {

    static HttpAnswer ok(Object body) {
        return new HttpAnswer(HttpResponseStatus.OK, body, List.of());
    }
}
