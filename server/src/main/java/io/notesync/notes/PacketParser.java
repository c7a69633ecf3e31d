package io.notesync.notes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validates and cleans a {@code packet} as the client sent it (docs/protocol.md, "packet"), from what a
 * JSON parser made of it: maps, lists, strings, numbers, booleans, nulls, and {@code byte[]} for
 * binary attachments. {@link #parse} never throws: any payload gives a {@link ParseResult}.
 *
 * <p>Checks run in this order and the first problem found is the one reported: the payload is an
 * object, {@code packetId}, {@code videoUrl}, then the notes one by one (shape, then text length
 * after cleaning), and last whether any note is left once the empty ones are dropped.
 *
 * <p>A key whose value is JSON {@code null} counts as not sent when choosing between the
 * {@code notes} array and the single-note form ({@code text} and {@code timestamp} at top level);
 * once a form is chosen, a null text or timestamp is reported as a wrong value.
 */
public final class PacketParser {

    private static final Pattern PACKET_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final PacketLimits limits;

    public PacketParser(PacketLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** True when {@code value} is a string of 1 to 128 characters of {@code [A-Za-z0-9._:-]}. */
    public static boolean isValidPacketId(Object value) {
        return value instanceof String s && PACKET_ID.matcher(s).matches();
    }

    /**
     * Reads, without validating the packet, what is needed before validation: the packetId when it
     * is valid (else null) and the {@code accessToken} when present with a non-null value.
     */
    public static PacketEnvelope envelope(Object payload) {
        try {
            if (!(payload instanceof Map<?, ?> map)) {
                return new PacketEnvelope(null, false, null);
            }
            Object packetId = map.get("packetId");
            Object token = map.get("accessToken");
            return new PacketEnvelope(isValidPacketId(packetId) ? (String) packetId : null, token != null, token);
        } catch (RuntimeException e) {
            // A map whose get() fails (not one a JSON parser makes): nothing is readable.
            return new PacketEnvelope(null, false, null);
        }
    }

    /** The validated, cleaned packet, or the first problem found in it. */
    public ParseResult parse(Object payload) {
        String packetId = null;
        try {
            if (!(payload instanceof Map<?, ?> map)) {
                throw invalid("packet", "packet must be a JSON object, got " + describe(payload));
            }
            packetId = readPacketId(map);
            Video video = readVideo(map);
            List<NoteDraft> notes = readNotes(map);
            return new ParseResult.Accepted(new ValidPacket(packetId, video, notes));
        } catch (Bad bad) {
            return new ParseResult.Rejected(new PacketProblem(bad.kind, packetId, bad.field, bad.getMessage()));
        } catch (RuntimeException e) {
            // Not expected for anything a JSON parser produces; still an answer, never an exception.
            return new ParseResult.Rejected(new PacketProblem(
                    PacketProblem.Kind.INVALID, packetId, "packet", "packet could not be read"));
        }
    }

    private static String readPacketId(Map<?, ?> map) {
        Object value = map.get("packetId");
        if (value == null) {
            throw invalid("packetId", "packetId is required");
        }
        if (!(value instanceof String)) {
            throw invalid("packetId", "packetId must be a string, got " + describe(value));
        }
        if (!isValidPacketId(value)) {
            throw invalid("packetId", "packetId must be 1 to 128 characters of [A-Za-z0-9._:-]");
        }
        return (String) value;
    }

    private static Video readVideo(Map<?, ?> map) {
        Object value = map.get("videoUrl");
        if (value == null) {
            throw invalid("videoUrl", "videoUrl is required");
        }
        if (!(value instanceof String url)) {
            throw invalid("videoUrl", "videoUrl must be a string, got " + describe(value));
        }
        try {
            return VideoUrls.canonicalize(url);
        } catch (InvalidVideoUrlException e) {
            throw invalid("videoUrl", e.getMessage());
        }
    }

    private List<NoteDraft> readNotes(Map<?, ?> map) {
        Object notes = map.get("notes");
        boolean single = map.get("text") != null || map.get("timestamp") != null;
        if (notes != null && single) {
            throw invalid(map.get("text") != null ? "text" : "timestamp",
                    "send either notes or a single note as text and timestamp, not both");
        }
        if (notes == null && !single) {
            throw invalid("notes", "notes is required (or a single note as text and timestamp)");
        }

        List<NoteDraft> drafts = new ArrayList<>();
        if (single) {
            NoteDraft draft = readNote(map, "");
            if (draft == null) {
                throw invalid("notes", "text was empty after cleaning, so the packet has no notes");
            }
            drafts.add(draft);
            return drafts;
        }

        if (!(notes instanceof List<?> list)) {
            throw invalid("notes", "notes must be an array, got " + describe(notes));
        }
        if (list.isEmpty()) {
            throw invalid("notes", "notes must contain at least one note");
        }
        if (list.size() > limits.maxNotesPerPacket()) {
            throw new Bad(PacketProblem.Kind.TOO_LARGE, "notes", "notes must contain at most "
                    + limits.maxNotesPerPacket() + " notes, got " + list.size());
        }
        int i = 0;
        for (Object entry : list) {
            String name = "notes[" + i + "]";
            if (!(entry instanceof Map<?, ?> note)) {
                throw invalid(name, name + " must be an object, got " + describe(entry));
            }
            NoteDraft draft = readNote(note, name + ".");
            if (draft != null) {
                drafts.add(draft);
            }
            i++;
        }
        if (drafts.isEmpty()) {
            throw invalid("notes", "all notes were empty after cleaning, so the packet has no notes");
        }
        return drafts;
    }

    /** One note from {@code note}'s text and timestamp, or null when its text is empty once cleaned. */
    private NoteDraft readNote(Map<?, ?> note, String prefix) {
        String textField = prefix + "text";
        String timestampField = prefix + "timestamp";

        Object text = note.get("text");
        if (text == null && !note.containsKey("text")) {
            throw invalid(textField, textField + " is required");
        }
        if (!(text instanceof String raw)) {
            throw invalid(textField, textField + " must be a string, got " + describe(text));
        }

        Object timestampValue = note.get("timestamp");
        if (timestampValue == null && !note.containsKey("timestamp")) {
            throw invalid(timestampField, timestampField + " is required");
        }
        double timestamp = timestamp(timestampValue);
        if (Double.isNaN(timestamp)) {
            throw invalid(timestampField, timestampField + " must be a finite number >= 0, got "
                    + describeTimestamp(timestampValue));
        }

        String tooLarge = limits.timestampTooLarge(timestampField, timestamp);
        if (tooLarge != null) {
            throw invalid(timestampField, tooLarge);
        }

        String cleaned = TextCleaner.clean(raw);
        String tooLong = limits.noteTooLong(textField, cleaned);
        if (tooLong != null) {
            throw new Bad(PacketProblem.Kind.TOO_LARGE, textField, tooLong);
        }
        return cleaned.isEmpty() ? null : new NoteDraft(cleaned, timestamp);
    }

    /** The value as a finite number >= 0 (never -0.0), or NaN when it is not one. */
    private static double timestamp(Object value) {
        if (!(value instanceof Number number)) {
            return Double.NaN;
        }
        if (value instanceof BigDecimal big && big.signum() < 0
                || value instanceof BigInteger bigInteger && bigInteger.signum() < 0) {
            return Double.NaN;
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d) || d < 0) {
            return Double.NaN;
        }
        return d + 0.0; // turns -0.0 into 0.0
    }

    private static String describeTimestamp(Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "a number that is not finite";
            }
            return "a negative number";
        }
        return describe(value);
    }

    /** What kind of JSON value {@code value} is, for messages; never the value itself. */
    private static String describe(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Map) {
            return "an object";
        } else if (value instanceof List) {
            return "an array";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof byte[]) {
            return "binary data";
        }
        return "an unsupported value";
    }

    private static Bad invalid(String field, String message) {
        return new Bad(PacketProblem.Kind.INVALID, field, message);
    }

    /** A problem found while reading; carried up to {@link #parse}, which answers with it. */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final PacketProblem.Kind kind;
        final String field;

        Bad(PacketProblem.Kind kind, String field, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.field = field;
        }
    }
}
