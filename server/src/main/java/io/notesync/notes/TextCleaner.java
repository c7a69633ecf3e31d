package io.notesync.notes;

import java.text.Normalizer;
import java.util.Objects;

/**
 * Cleans a note's text as docs/protocol.md ("Cleaning the strings") says: line breaks become
 * {@code \n}, control characters other than {@code \n} and {@code \t} are removed, the text is put
 * in Unicode NFC, and leading and trailing whitespace is stripped. Text is not HTML-escaped.
 */
public final class TextCleaner {

    private TextCleaner() {
    }

    /**
     * The cleaned text; empty when nothing but whitespace and control characters was left.
     *
     * <p>NFC is applied after the control characters are removed, so that a removed character
     * between a letter and its combining mark cannot leave the result un-normalized.
     *
     * @throws NullPointerException when {@code raw} is null
     */
    public static String clean(String raw) {
        Objects.requireNonNull(raw, "raw");
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        int n = raw.length();
        while (i < n) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r') {
                out.append('\n');
                if (i < n && raw.charAt(i) == '\n') {
                    i++;
                }
            } else if (cp == '\n' || cp == '\t') {
                out.append((char) cp);
            } else if (Character.getType(cp) != Character.CONTROL) {
                out.appendCodePoint(cp);
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC).strip();
    }
}
