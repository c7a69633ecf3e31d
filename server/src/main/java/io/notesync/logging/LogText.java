package io.notesync.logging;

/**
 * Client-supplied text (usernames, packet ids, URLs, header values, messages that quote them) as
 * it may appear in a log line: it can neither end the line nor make a reader see another one.
 * Line breaks (CR, LF, U+0085, U+2028, U+2029), every other C0 and C1 control, DEL and the bidi
 * controls (which reorder what a terminal shows) are written as {@code \\uXXXX}, and a backslash
 * as two, so an escaped value never looks like an escape of something else.
 */
public final class LogText {

    private LogText() {
    }

    /** {@code value} safe for a log line; "null" for null. */
    public static String of(Object value) {
        String text = String.valueOf(value);
        int first = firstToEscape(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (isUnsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * True for a character that must never reach a log line or an identity as is: C0 and C1
     * controls, DEL, the line and paragraph separators, and the bidi controls (U+061C, U+200E,
     * U+200F, U+202A..U+202E, U+2066..U+2069). All of them are in the BMP.
     */
    public static boolean isUnsafe(int c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == 0x2028 || c == 0x2029
                || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /** True when {@code text} holds a character {@link #isUnsafe}. */
    public static boolean hasUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int firstToEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || isUnsafe(c)) {
                return i;
            }
        }
        return -1;
    }
}
