package io.notesync.auth;

/** Why a token was refused; {@link #wireName()} is the {@code reason} of {@code invalidToken}. */
public enum TokenRejection {
    MISSING("missing"),
    MALFORMED("malformed"),
    INVALID("invalid"),
    EXPIRED("expired"),
    REVOKED("revoked"),
    USER_MISMATCH("userMismatch");

    private final String wireName;

    TokenRejection(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
