package io.notesync.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds and sends notesync's HTTP answers: JSON bodies, {@code {error:{code,message}}} errors. */
final class HttpResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    /** A body that is not JSON (the Prometheus text of /metrics): its content type and text. */
    record PlainText(String contentType, String text) {
    }

    /** {@code body} null: no content; a {@link PlainText} as is; anything else as JSON. */
    static FullHttpResponse json(HttpResponseStatus status, Object body, List<String> setCookies) {
        byte[] bytes;
        String contentType = "application/json; charset=utf-8";
        if (body instanceof PlainText text) {
            bytes = text.text().getBytes(StandardCharsets.UTF_8);
            contentType = text.contentType();
        } else {
            try {
                bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("response is not serialisable", e);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        if (body != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        for (String cookie : setCookies) {
            response.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
        }
        return response;
    }

    static FullHttpResponse error(HttpError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", error.code());
        body.put("message", error.getMessage());
        if (error.field() != null) {
            body.put("field", error.field());
        }
        return json(error.status(), Map.of("error", body), List.of());
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
