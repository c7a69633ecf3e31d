package io.notesync.account;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server's Markdown escaping follows the web app's (notes-format.js escapeMarkdown), case by case. */
class ExportWriterTest {

    @Test
    void htmlIsWrittenAsEntities() {
        assertEquals("&lt;img src=x onerror=alert\\(1\\)&gt; &amp;amp;", ExportWriter.escape("<img src=x onerror=alert(1)> &amp;"));
    }

    @Test
    void inlineMarkdownPunctuationIsBackslashEscaped() {
        assertEquals("\\*b\\* \\_e\\_ \\[l\\]\\(j:x\\) \\`c\\` \\~\\~s\\~\\~ \\| \\! \\# \\\\", ExportWriter.escape("*b* _e_ [l](j:x) `c` ~~s~~ | ! # \\"));
    }

    @Test
    void listQuoteAndHeadingMarksAtALineStartAreEscapedNotInside() {
        assertEquals("\\- item\n  \\+ more\n1\\. ordered\n22\\) also\n&gt; quote\na-b 1. c", ExportWriter.escape("- item\n  + more\n1. ordered\n22) also\n> quote\na-b 1. c"));
    }

    @Test
    void videoTimesAreMinutesAndSeconds() {
        assertEquals("0:04", ExportWriter.time(4.9));
        assertEquals("1:02:05", ExportWriter.time(3725));
    }
}
