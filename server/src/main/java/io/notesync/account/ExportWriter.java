package io.notesync.account;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.notesync.notes.NoteJson;
import io.notesync.notes.StoredNote;
import io.notesync.notes.VideoExport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's whole account as one document, written video by video as {@link Accounts#export}
 * hands them over: JSON ({@code {username, exportedAt, videos: [{videoKey, videoUrl, notes}]}})
 * or Markdown, whose note text is escaped so that a Markdown viewer shows it as text.
 */
public final class ExportWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportWriter() {
    }

    public static void json(Accounts accounts, String username, Instant exportedAt, OutputStream out) throws IOException {
        JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
        json.writeStartObject();
        json.writeStringField("username", username);
        json.writeStringField("exportedAt", NoteJson.isoMillis(exportedAt));
        json.writeArrayFieldStart("videos");
        try {
            accounts.export(username, video -> {
                try {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("videoKey", video.videoKey());
                    body.put("videoUrl", video.videoUrl());
                    List<Map<String, Object>> notes = new ArrayList<>(video.notes().size());
                    for (StoredNote note : video.notes()) {
                        notes.add(NoteJson.of(note));
                    }
                    body.put("notes", notes);
                    JSON.writeValue(json, body);
                    json.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
    }

    public static void markdown(Accounts accounts, String username, Instant exportedAt, OutputStream out) throws IOException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        text.write("# Notes of " + escape(username) + "\n\nExported " + NoteJson.isoMillis(exportedAt) + "\n");
        try {
            accounts.export(username, video -> {
                try {
                    text.write("\n## " + escape(video.videoUrl()) + "\n\n");
                    for (StoredNote note : video.notes()) {
                        text.write("- " + time(note.note().timestamp()) + " " + escape(note.note().text()).replace("\n", "\n  ") + "\n");
                    }
                    text.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        text.flush();
    }

    /**
     * Text as Markdown shows it literally, by the web app's rules (notes-format.js): {@code < > &}
     * as entities, inline punctuation with a backslash, list, quote and heading marks at a line's start too.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\\', '`', '*', '_', '[', ']', '(', ')', '!', '|', '~', '#', '{', '}' -> out.append('\\').append(c);
                case '-', '+', '=' -> out.append(lineStart ? "\\" : "").append(c);
                default -> out.append(c);
            }
            if (c == '\n') {
                lineStart = true;
            } else if (c != ' ' && c != '\t') {
                if (lineStart && c >= '0' && c <= '9') {
                    int end = i;
                    while (end + 1 < text.length() && Character.isDigit(text.charAt(end + 1)) && text.charAt(end + 1) <= '9') {
                        out.append(text.charAt(++end));
                    }
                    if (end + 1 < text.length() && (text.charAt(end + 1) == '.' || text.charAt(end + 1) == ')')) {
                        out.append('\\').append(text.charAt(++end));
                    }
                    i = end;
                }
                lineStart = false;
            }
        }
        return out.toString();
    }

    /** {@code m:ss} or {@code h:mm:ss}, as the web app shows a video time. */
    static String time(double seconds) {
        long total = (long) Math.floor(seconds);
        long h = total / 3600;
        long m = total % 3600 / 60;
        long s = total % 60;
        return h > 0 ? String.format("%d:%02d:%02d", h, m, s) : String.format("%d:%02d", m, s);
    }
}
