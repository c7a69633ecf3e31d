package io.notesync.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(8);

    @Test
    void aPasswordShorterThanTheMinimumIsRefusedNamingTheRule() {
        String problem = policy.problemWith("x".toCharArray());
        assertTrue(problem.contains("at least 8 characters"), problem);
        assertTrue(policy.problemWith(new char[0]).contains("at least 8 characters"));
        assertTrue(policy.problemWith("\uD83D\uDE00".repeat(7).toCharArray()).contains("at least 8"),
                "characters, not UTF-16 units: 7 emoji are 7 characters");
    }

    @Test
    void aPasswordOver72BytesIsRefusedNamingTheRule() {
        String problem = policy.problemWith("\u00e9".repeat(37).toCharArray());
        assertTrue(problem.contains("at most 72 bytes"), problem);
    }

    @Test
    void theMinimumAndTheMaximumAreAccepted() {
        assertNull(policy.problemWith("12345678".toCharArray()));
        assertNull(policy.problemWith("x".repeat(72).toCharArray()));
    }
}
