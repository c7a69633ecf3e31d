package io.notesync.logging;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTextTest {

    @Test
    void plainTextIsUnchanged() {
        String plain = "alice@example.com url:https://example.com/a b é 😀";
        assertSame(plain, LogText.of(plain));
    }

    @Test
    void lineBreaksControlsAndBidiControlsAreEscaped() {
        assertEquals("a\\u000ab\\u000dc\\u2028d\\u2029e\\u0085f\\u202eg\\u0000h\\u007fi\\u0009j",
                LogText.of("a\nb\rc\u2028d\u2029e\u0085f\u202eg\u0000h\u007fi\tj"));
    }

    @Test
    void aBackslashIsDoubledSoAnEscapeCannotBeImitated() {
        assertEquals("a\\\\u000ab\\u000a", LogText.of("a\\u000ab\n"));
    }

    @Test
    void nothingEscapedHoldsALineTerminator() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        String escaped = LogText.of(all.toString());
        assertFalse(escaped.chars().anyMatch(LogText::isUnsafe));
        assertTrue(LogText.hasUnsafe("x\u2066"));
        assertEquals("null", LogText.of(null));
    }
}
