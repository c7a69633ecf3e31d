package io.notesync.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Passwords hashed with bcrypt (at.favre.lib:bcrypt, version 2a, a per-hash random salt). bcrypt
 * reads at most 72 bytes; longer passwords are refused when set rather than silently truncated.
 */
public final class PasswordHasher {

    public static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;
    /** Checked against when a login names no known user, so both cases take the same time. */
    private final String decoyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.decoyHash = BCrypt.withDefaults().hashToString(cost, "decoy-password-never-used".toCharArray());
    }

    /** The problem with a password to be set, or null when it is acceptable. */
    public static String problemWith(char[] password) {
        if (password.length == 0) {
            return "the password must not be empty";
        }
        if (utf8Length(password) > MAX_PASSWORD_BYTES) {
            return "the password is longer than " + MAX_PASSWORD_BYTES + " bytes, which bcrypt cannot use";
        }
        return null;
    }

    public String hash(char[] password) {
        String problem = problemWith(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return BCrypt.withDefaults().hashToString(cost, password);
    }

    /** True when {@code password} matches {@code hash}; with a null hash, spends the same time and answers false. */
    public boolean verify(char[] password, String hash) {
        boolean usable = hash != null && password.length > 0 && utf8Length(password) <= MAX_PASSWORD_BYTES;
        char[] candidate = usable ? password : "x".toCharArray();
        boolean verified = BCrypt.verifyer().verify(candidate, usable ? hash : decoyHash).verified;
        return usable && verified;
    }

    private static int utf8Length(char[] password) {
        return StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining();
    }
}
