package io.notesync.auth;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a new password must be, for the CLI, the HTTP routes and (through their answers) the web
 * app alike: at least {@code auth.minPasswordLength} characters, at most the 72 bytes bcrypt
 * reads. Every refusal names the rule it breaks.
 */
public final class PasswordPolicy {

    public static final int DEFAULT_MIN_LENGTH = 8;

    private final int minLength;

    public PasswordPolicy(int minLength) {
        this.minLength = minLength;
    }

    public int minLength() {
        return minLength;
    }

    /** The rule {@code password} breaks, as a sentence for the person choosing it, or null when it is acceptable. */
    public String problemWith(char[] password) {
        int length = Character.codePointCount(password, 0, password.length);
        if (length < minLength) {
            return "a password must be at least " + minLength + " characters long (this one has " + length + ")";
        }
        if (utf8Length(password) > PasswordHasher.MAX_PASSWORD_BYTES) {
            return "a password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES
                    + " bytes in UTF-8, all that bcrypt reads (this one has " + utf8Length(password) + ")";
        }
        return null;
    }

    static int utf8Length(char[] password) {
        return StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining();
    }
}
