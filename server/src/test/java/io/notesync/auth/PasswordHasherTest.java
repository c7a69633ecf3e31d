package io.notesync.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertTrue(hash.startsWith("$2a$04$"), hash);
        assertTrue(hasher.verify("correct horse".toCharArray(), hash));
        assertFalse(hasher.verify("correct horsf".toCharArray(), hash));
        assertNotEquals(hash, hasher.hash("correct horse".toCharArray()), "a fresh salt per hash");
    }

    @Test
    void noHashMeansNoMatch() {
        assertFalse(hasher.verify("anything".toCharArray(), null));
    }

    @Test
    void passwordsBcryptWouldTruncateAreRefusedWhenSet() {
        assertNull(PasswordHasher.problemWith("x".repeat(72).toCharArray()));
        assertNotNull(PasswordHasher.problemWith("x".repeat(73).toCharArray()));
        assertNotNull(PasswordHasher.problemWith("é".repeat(37).toCharArray()), "74 bytes in UTF-8");
        assertNotNull(PasswordHasher.problemWith(new char[0]));
        assertThrows(IllegalArgumentException.class, () -> hasher.hash("x".repeat(73).toCharArray()));
        assertFalse(hasher.verify("x".repeat(73).toCharArray(), hasher.hash("x".repeat(72).toCharArray())));
    }
}
