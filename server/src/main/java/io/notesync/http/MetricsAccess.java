package io.notesync.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read {@code /metrics}: nobody until {@code metrics.token} is set, then whoever sends it
 * as {@code Authorization: Bearer <token>}. The scrape shows traffic, connection counts and JVM
 * internals, so it is not public by accident on a server that faces the internet.
 */
final class MetricsAccess {

    private final byte[] expected;

    /** @param token metrics.token, or null: /metrics is off */
    MetricsAccess(String token) {
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws HttpError 404 metricsDisabled without a configured token, 401 metricsTokenRequired for a wrong or missing one */
    void check(String authorization) {
        if (expected == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "metricsDisabled",
                    "/metrics is off; set metrics.token and send it as Authorization: Bearer <token>");
        }
        byte[] given = authorization == null ? new byte[0] : authorization.trim().getBytes(StandardCharsets.UTF_8);
        // Constant time, so the token cannot be guessed byte by byte from answer times.
        if (!MessageDigest.isEqual(expected, given)) {
            throw HttpError.unauthorized("metricsTokenRequired", "send Authorization: Bearer <metrics.token>");
        }
    }
}
