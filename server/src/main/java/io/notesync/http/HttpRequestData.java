package io.notesync.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;

/** What a route needs of a request, copied off the Netty buffer so it can be handled on another thread. */
record HttpRequestData(HttpMethod method, String path, QueryStringDecoder query, HttpHeaders headers, byte[] body,
                       String clientAddress) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String header(CharSequence name) {
        return headers.get(name);
    }

    String single(String parameter) {
        List<String> values = query.parameters().get(parameter);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as a JSON object; 400 naming what is wrong when it is empty, not JSON, or not an object. */
    JsonNode jsonObject() {
        try {
            JsonNode node = body.length == 0 ? null : JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw HttpError.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw HttpError.badRequest("the body is not valid JSON");
        }
    }
}
