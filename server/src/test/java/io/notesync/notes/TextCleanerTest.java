package io.notesync.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextCleanerTest {

    @Test
    void textIsNormalizedToNfc() {
        String decomposed = "Cafe\u0301";
        assertEquals("Caf\u00e9", TextCleaner.clean(decomposed));
    }

    @Test
    void alreadyComposedTextIsUnchanged() {
        assertEquals("Caf\u00e9 \uD83C\uDFB5 \u4E2D\u6587", TextCleaner.clean("Caf\u00e9 \uD83C\uDFB5 \u4E2D\u6587"));
    }

    @Test
    void resultIsNfcEvenWhenAControlCharacterSeparatedALetterFromItsMark() {
        String cleaned = TextCleaner.clean("e\u0000\u0301");
        assertEquals("\u00e9", cleaned);
        assertEquals(Normalizer.normalize(cleaned, Normalizer.Form.NFC), cleaned);
    }

    @Test
    void crlfBecomesNewline() {
        assertEquals("a\nb", TextCleaner.clean("a\r\nb"));
    }

    @Test
    void loneCarriageReturnBecomesNewline() {
        assertEquals("a\nb", TextCleaner.clean("a\rb"));
    }

    @Test
    void crlfSequencesEachBecomeOneNewline() {
        assertEquals("a\n\nb\n\nc", TextCleaner.clean("a\r\n\r\nb\r\rc"));
    }

    @Test
    void newlineAndTabInsideTheTextAreKept() {
        assertEquals("a\n\tb", TextCleaner.clean("a\n\tb"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0001", "\u0007", "\u0008", "\u000B", "\u000C", "\u001B", "\u001F",
            "\u007F", "\u0080", "\u0085", "\u009F"})
    void controlCharactersOtherThanNewlineAndTabAreRemoved(String control) {
        assertEquals("ab", TextCleaner.clean("a" + control + "b"));
    }

    @Test
    void formatCharactersThatAreNotControlCharactersAreKept() {
        // U+200D ZERO WIDTH JOINER is category Cf, not Cc: emoji sequences need it.
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69";
        assertEquals(family, TextCleaner.clean(family));
    }

    @Test
    void leadingAndTrailingWhitespaceIsStripped() {
        assertEquals("the chorus starts here", TextCleaner.clean("  the chorus starts here "));
    }

    @Test
    void leadingAndTrailingNewlinesAndTabsAreStripped() {
        assertEquals("note", TextCleaner.clean("\n\t note \r\n\t"));
    }

    @Test
    void unicodeWhitespaceAtTheEdgesIsStripped() {
        assertEquals("note", TextCleaner.clean("\u2003note\u3000"));
    }

    @Test
    void innerWhitespaceIsKept() {
        assertEquals("a  b", TextCleaner.clean("a  b"));
    }

    @Test
    void whitespaceAndControlOnlyTextBecomesEmpty() {
        assertEquals("", TextCleaner.clean(" \t\r\n\u0000\u0007 "));
    }

    @Test
    void htmlIsNotEscaped() {
        assertEquals("<b>&amp;</b>", TextCleaner.clean("<b>&amp;</b>"));
    }

    @Test
    void nullIsRefused() {
        assertThrows(NullPointerException.class, () -> TextCleaner.clean(null));
    }
}
