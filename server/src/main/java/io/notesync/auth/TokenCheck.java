package io.notesync.auth;

import java.time.Instant;

/** The result of checking an access token: who it names and until when, or why it is refused. */
public sealed interface TokenCheck {

    /** {@code issuedAt} is the token's {@code iat} (whole seconds), or null when it has none. */
    record Valid(String username, Instant expiresAt, Instant issuedAt) implements TokenCheck {
    }

    /** {@code message} is safe to show a client: it never contains the token. */
    record Rejected(TokenRejection reason, String message) implements TokenCheck {
    }
}
