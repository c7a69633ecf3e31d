package io.notesync.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.notesync.auth.TokenCheck;
import io.notesync.auth.TokenVerifier;

/** The user of an {@code /api/*} request, from its {@code Authorization: Bearer} access token; 401 otherwise. */
public final class BearerAuth {

    private final TokenVerifier verifier;

    public BearerAuth(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    String username(HttpRequestData request) {
        String authorization = request.header(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw HttpError.unauthorized("missing", "send Authorization: Bearer <access token>");
        }
        TokenCheck check = verifier.check(authorization.substring(7).trim());
        if (check instanceof TokenCheck.Rejected rejected) {
            throw HttpError.unauthorized(rejected.reason().wireName(), rejected.message());
        }
        return ((TokenCheck.Valid) check).username();
    }
}
