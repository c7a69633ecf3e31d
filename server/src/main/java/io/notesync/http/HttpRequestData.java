package io.notesync.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;

/** What a route needs of a request, copied off the Netty buffer so it can be handled on another thread. */
record HttpRequestData(HttpMethod method, String path, QueryStringDecoder query, HttpHeaders headers, byte[] body,
                       String clientAddress) {

    String header(CharSequence name) {
        return headers.get(name);
    }

    String single(String parameter) {
        List<String> values = query.parameters().get(parameter);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
