package io.notesync.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacketParserTest {

    private static final String ID = "8f2c0c8e-2d7b-4f0e-9a51-0b1f7e9b3c11";
    private static final String URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s";
    private static final Video VIDEO = new Video("youtube:dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");

    private final PacketParser parser = new PacketParser(PacketLimits.DEFAULTS);

    // --- helpers: maps like Jackson makes, nulls allowed ---

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> note(Object text, Object timestamp) {
        return map("text", text, "timestamp", timestamp);
    }

    private static List<Object> list(Object... items) {
        List<Object> list = new ArrayList<>();
        for (Object item : items) {
            list.add(item);
        }
        return list;
    }

    private static Map<String, Object> packet(Object notes) {
        return map("packetId", ID, "videoUrl", URL, "notes", notes);
    }

    private static Map<String, Object> packetWithNote(Object text, Object timestamp) {
        return packet(list(note(text, timestamp)));
    }

    private ValidPacket accepted(Object payload) {
        ParseResult result = parser.parse(payload);
        return assertInstanceOf(ParseResult.Accepted.class, result, () -> "rejected: " + result).packet();
    }

    private static PacketProblem rejected(PacketParser parser, Object payload) {
        ParseResult result = parser.parse(payload);
        return assertInstanceOf(ParseResult.Rejected.class, result, () -> "accepted: " + result).problem();
    }

    private PacketProblem rejected(Object payload) {
        return rejected(parser, payload);
    }

    private static void assertProblem(PacketProblem.Kind kind, String field, PacketProblem problem) {
        assertEquals(kind, problem.kind(), problem::toString);
        assertEquals(field, problem.field(), problem::toString);
        assertTrue(problem.message().contains(field), () -> "message does not name the field: " + problem);
    }

    // --- a valid packet ---

    @Test
    void validPacketIsAcceptedWithCleanedNotesAndCanonicalVideo() {
        ValidPacket packet = accepted(packet(list(
                note("  the chorus starts here ", 42.5),
                note("key change", 61))));
        assertEquals(new ValidPacket(ID, VIDEO, List.of(
                new NoteDraft("the chorus starts here", 42.5),
                new NoteDraft("key change", 61.0))), packet);
    }

    @Test
    void notesKeepTheOrderTheyWereSentIn() {
        ValidPacket packet = accepted(packet(list(note("b", 20), note("a", 10), note("c", 30))));
        assertEquals(List.of("b", "a", "c"), packet.notes().stream().map(NoteDraft::text).toList());
    }

    @Test
    void unknownFieldsAndAccessTokenAreIgnored() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("accessToken", "a.b.c");
        payload.put("extra", map("nested", list(1, 2)));
        assertEquals(1, accepted(payload).notes().size());
    }

    // --- the payload ---

    static Stream<Object> notObjects() {
        return Stream.of(list(), list(packetWithNote("x", 1)), "packet", 42, 4.2, true, new byte[] {1, 2}, null);
    }

    @ParameterizedTest
    @MethodSource("notObjects")
    void payloadThatIsNotAnObjectIsInvalid(Object payload) {
        PacketProblem problem = rejected(payload);
        assertProblem(PacketProblem.Kind.INVALID, "packet", problem);
        assertNull(problem.packetId());
    }

    // --- packetId ---

    @Test
    void missingPacketIdIsInvalid() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.remove("packetId");
        PacketProblem problem = rejected(payload);
        assertProblem(PacketProblem.Kind.INVALID, "packetId", problem);
        assertNull(problem.packetId());
    }

    static Stream<Object> badPacketIds() {
        return Stream.of(null, 42, 12345678901234567890.0, true, list(ID), map("id", ID), new byte[] {1},
                "", "a".repeat(129), "has space", "slash/id", "caf\u00e9", "tab\t", "semi;colon", "new\nline");
    }

    @ParameterizedTest
    @MethodSource("badPacketIds")
    void packetIdThatIsNotOneTo128AllowedCharactersIsInvalid(Object packetId) {
        PacketProblem problem = rejected(map("packetId", packetId, "videoUrl", URL, "notes", list(note("x", 1))));
        assertProblem(PacketProblem.Kind.INVALID, "packetId", problem);
        assertNull(problem.packetId());
    }

    @Test
    void packetIdOf128CharactersIsAccepted() {
        String id = "a".repeat(128);
        assertEquals(id, accepted(map("packetId", id, "videoUrl", URL, "notes", list(note("x", 1)))).packetId());
    }

    @Test
    void packetIdMayUseLettersDigitsDotUnderscoreColonAndDash() {
        String id = "AZaz09._:-";
        assertEquals(id, accepted(map("packetId", id, "videoUrl", URL, "notes", list(note("x", 1)))).packetId());
    }

    @Test
    void packetIdOfOneCharacterIsAccepted() {
        assertEquals("1", accepted(map("packetId", "1", "videoUrl", URL, "notes", list(note("x", 1)))).packetId());
    }

    // --- videoUrl ---

    @Test
    void missingVideoUrlIsInvalid() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.remove("videoUrl");
        assertProblem(PacketProblem.Kind.INVALID, "videoUrl", rejected(payload));
    }

    @ParameterizedTest
    @MethodSource("notStrings")
    void videoUrlThatIsNotAStringIsInvalid(Object videoUrl) {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("videoUrl", videoUrl);
        assertProblem(PacketProblem.Kind.INVALID, "videoUrl", rejected(payload));
    }

    @Test
    void badVideoUrlIsInvalidWithAMessageThatSaysWhy() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("videoUrl", "javascript:alert(1)");
        PacketProblem problem = rejected(payload);
        assertProblem(PacketProblem.Kind.INVALID, "videoUrl", problem);
        // The contract's words, written out: not whatever VideoUrls happens to say.
        assertEquals("videoUrl must be an absolute http or https URL; javascript: URLs are not accepted", problem.message());
    }

    @Test
    void rejectionCarriesThePacketIdOnceItIsValid() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("videoUrl", "file:///etc/passwd");
        assertEquals(ID, rejected(payload).packetId());
    }

    // --- check order ---

    @Test
    void packetIdIsCheckedBeforeVideoUrl() {
        PacketProblem problem = rejected(map("packetId", "", "videoUrl", "data:,x", "notes", "nope"));
        assertEquals("packetId", problem.field());
    }

    @Test
    void videoUrlIsCheckedBeforeNotes() {
        PacketProblem problem = rejected(map("packetId", ID, "videoUrl", "data:,x", "notes", "nope"));
        assertEquals("videoUrl", problem.field());
    }

    @Test
    void notesAreCheckedInOrderAndTheFirstProblemIsReported() {
        PacketProblem problem = rejected(packet(list(note("ok", 1), note(7, 2), note("ok", "three"))));
        assertEquals("notes[1].text", problem.field());
    }

    @Test
    void invalidNoteIsReportedEvenAfterANoteThatIsTooLong() {
        PacketParser small = new PacketParser(new PacketLimits(10, 3));
        PacketProblem problem = rejected(small, packet(list(note("abcd", 1), note("ok", -1))));
        assertProblem(PacketProblem.Kind.TOO_LARGE, "notes[0].text", problem);
    }

    // --- notes array ---

    @Test
    void missingNotesIsInvalid() {
        PacketProblem problem = rejected(map("packetId", ID, "videoUrl", URL));
        assertProblem(PacketProblem.Kind.INVALID, "notes", problem);
        assertEquals(ID, problem.packetId());
    }

    @Test
    void nullNotesWithoutASingleNoteIsInvalid() {
        assertProblem(PacketProblem.Kind.INVALID, "notes", rejected(packet(null)));
    }

    static Stream<Object> notArrays() {
        return Stream.of("notes", 1, true, note("x", 1), new byte[] {1});
    }

    @ParameterizedTest
    @MethodSource("notArrays")
    void notesThatIsNotAnArrayIsInvalid(Object notes) {
        assertProblem(PacketProblem.Kind.INVALID, "notes", rejected(packet(notes)));
    }

    @Test
    void emptyNotesArrayIsInvalid() {
        assertProblem(PacketProblem.Kind.INVALID, "notes", rejected(packet(list())));
    }

    @Test
    void moreNotesThanTheLimitIsTooLarge() {
        List<Object> notes = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            notes.add(note("n" + i, i));
        }
        PacketProblem problem = rejected(packet(notes));
        assertProblem(PacketProblem.Kind.TOO_LARGE, "notes", problem);
        assertEquals(ID, problem.packetId());
    }

    @Test
    void exactlyTheLimitOfNotesIsAccepted() {
        List<Object> notes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            notes.add(note("n" + i, i));
        }
        assertEquals(100, accepted(packet(notes)).notes().size());
    }

    @Test
    void noteLimitIsConfigurable() {
        PacketParser two = new PacketParser(new PacketLimits(2, 100));
        assertProblem(PacketProblem.Kind.TOO_LARGE, "notes",
                rejected(two, packet(list(note("a", 1), note("b", 2), note("c", 3)))));
    }

    @Test
    void tooManyNotesIsReportedBeforeTheNotesAreRead() {
        PacketParser one = new PacketParser(new PacketLimits(1, 100));
        assertProblem(PacketProblem.Kind.TOO_LARGE, "notes", rejected(one, packet(list("bad", "worse"))));
    }

    static Stream<Object> notObjectEntries() {
        return Stream.of("text", 42, true, list(note("x", 1)), list(list(list())), new byte[] {1}, null);
    }

    @ParameterizedTest
    @MethodSource("notObjectEntries")
    void noteThatIsNotAnObjectIsInvalid(Object entry) {
        assertProblem(PacketProblem.Kind.INVALID, "notes[1]", rejected(packet(list(note("ok", 1), entry))));
    }

    @Test
    void noteWithoutTextIsInvalid() {
        assertProblem(PacketProblem.Kind.INVALID, "notes[0].text", rejected(packet(list(map("timestamp", 1)))));
    }

    static Stream<Object> notStrings() {
        return Stream.of(null, 42, 4.2, new BigDecimal("1e500"), true, list("x"), map("text", "x"), new byte[] {'x'});
    }

    @ParameterizedTest
    @MethodSource("notStrings")
    void noteTextThatIsNotAStringIsInvalid(Object text) {
        assertProblem(PacketProblem.Kind.INVALID, "notes[0].text", rejected(packetWithNote(text, 1)));
    }

    @Test
    void noteWithoutTimestampIsInvalid() {
        assertProblem(PacketProblem.Kind.INVALID, "notes[0].timestamp", rejected(packet(list(map("text", "x")))));
    }

    static Stream<Object> badTimestamps() {
        return Stream.of("42", "", true, false, null, -1, -1L, -0.5, -1e-300, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Float.NaN, Float.POSITIVE_INFINITY, new BigDecimal("-0.000001"),
                new BigDecimal("-1e-400"), new BigDecimal("1e400"), new BigInteger("-5"), BigInteger.TEN.pow(400),
                list(1), map("seconds", 1), new byte[] {1});
    }

    @ParameterizedTest
    @MethodSource("badTimestamps")
    void timestampThatIsNotAFiniteNumberAtLeastZeroIsInvalid(Object timestamp) {
        assertProblem(PacketProblem.Kind.INVALID, "notes[0].timestamp", rejected(packetWithNote("x", timestamp)));
    }

    @Test
    void timestampMessageNamesTheFieldAndTheRule() {
        PacketProblem problem = rejected(packet(list(note("a", 1), note("b", "12"))));
        assertTrue(problem.message().startsWith("notes[1].timestamp must be a finite number >= 0"), problem.message());
    }

    static Stream<Arguments> goodTimestamps() {
        return Stream.of(
                Arguments.of(0, 0.0),
                Arguments.of(42, 42.0),
                Arguments.of(42.5, 42.5),
                Arguments.of(7L, 7.0),
                Arguments.of(1.5f, 1.5),
                Arguments.of(new BigInteger("604800"), 604800.0),
                Arguments.of(new BigDecimal("61.25"), 61.25),
                Arguments.of(new BigDecimal("1e-400"), 0.0),
                Arguments.of(604_800, 604_800.0));
    }

    @Test
    void timestampOverTheLimitIsInvalidNamingTheField() {
        for (Object timestamp : List.of(1e308, Double.MAX_VALUE, 604_800.001, new BigInteger("123456789012345678901234567890"))) {
            PacketProblem problem = rejected(packet(list(note("a", 1), note("b", timestamp))));
            assertEquals("notes[1].timestamp", problem.field());
            assertTrue(problem.message().contains("at most 604800 seconds"), problem.message());
        }
        PacketParser hour = new PacketParser(new PacketLimits(100, 100, 3600));
        assertEquals("timestamp", rejected(hour, map("packetId", "p", "videoUrl", "https://vimeo.com/1", "text", "x",
                "timestamp", 3601)).field(), "the single-note form too");
    }

    @ParameterizedTest
    @MethodSource("goodTimestamps")
    void timestampMayBeAnyFiniteNumberAtLeastZeroUpToTheLimit(Object timestamp, double expected) {
        assertEquals(expected, accepted(packetWithNote("x", timestamp)).notes().get(0).timestamp());
    }

    @Test
    void negativeZeroTimestampIsStoredAsZero() {
        double timestamp = accepted(packetWithNote("x", -0.0)).notes().get(0).timestamp();
        assertEquals(0, Double.compare(0.0, timestamp));
    }

    // --- cleaning and length ---

    @Test
    void noteTextIsCleaned() {
        assertEquals("a\nb\u00e9", accepted(packetWithNote(" a\r\n\u0000be\u0301 \t", 1)).notes().get(0).text());
    }

    @Test
    void textLongerThanTheLimitAfterCleaningIsTooLarge() {
        PacketProblem problem = rejected(packet(list(note("ok", 1), note("a".repeat(10_001), 2))));
        assertProblem(PacketProblem.Kind.TOO_LARGE, "notes[1].text", problem);
        assertEquals(ID, problem.packetId());
    }

    @Test
    void textOfExactlyTheLimitIsAccepted() {
        assertEquals(10_000, accepted(packetWithNote("a".repeat(10_000), 1)).notes().get(0).text().length());
    }

    @Test
    void textLengthIsCountedInCodePoints() {
        PacketParser small = new PacketParser(new PacketLimits(10, 3));
        String threeEmoji = "\uD83C\uDFB5\uD83C\uDFB6\uD83C\uDFB7"; // six UTF-16 chars
        assertEquals(threeEmoji, accepted(small, packetWithNote(threeEmoji, 1)).notes().get(0).text());
    }

    @Test
    void textLengthIsMeasuredAfterCleaning() {
        PacketParser small = new PacketParser(new PacketLimits(10, 3));
        assertEquals("abc", accepted(small, packetWithNote("   abc\u0000\u0000   ", 1)).notes().get(0).text());
    }

    @Test
    void textLengthIsMeasuredAfterNfc() {
        PacketParser small = new PacketParser(new PacketLimits(10, 3));
        assertEquals("\u00e9\u00e9\u00e9", accepted(small, packetWithNote("e\u0301e\u0301e\u0301", 1)).notes().get(0).text());
    }

    @Test
    void textLengthLimitIsConfigurable() {
        PacketParser small = new PacketParser(new PacketLimits(10, 3));
        assertProblem(PacketProblem.Kind.TOO_LARGE, "notes[0].text", rejected(small, packetWithNote("abcd", 1)));
    }

    @Test
    void notesEmptyAfterCleaningAreDropped() {
        ValidPacket packet = accepted(packet(list(note("  ", 1), note("kept", 2), note("\u0000\r\n", 3))));
        assertEquals(List.of(new NoteDraft("kept", 2.0)), packet.notes());
    }

    @Test
    void packetWhoseNotesAreAllEmptyAfterCleaningIsInvalid() {
        PacketProblem problem = rejected(packet(list(note("", 1), note(" \t\n", 2))));
        assertProblem(PacketProblem.Kind.INVALID, "notes", problem);
        assertTrue(problem.message().contains("empty after cleaning"), problem.message());
        assertEquals(ID, problem.packetId());
    }

    @Test
    void emptyNoteStillNeedsAValidTimestamp() {
        assertProblem(PacketProblem.Kind.INVALID, "notes[0].timestamp", rejected(packetWithNote("  ", "x")));
    }

    @Test
    void noteIndexesCountDroppedNotes() {
        assertEquals("notes[1].timestamp", rejected(packet(list(note(" ", 1), note("x", -1)))).field());
    }

    // --- single-note form ---

    private static Map<String, Object> single(Object text, Object timestamp) {
        return map("packetId", ID, "videoUrl", URL, "text", text, "timestamp", timestamp);
    }

    @Test
    void singleNoteAsTopLevelTextAndTimestampIsAccepted() {
        assertEquals(new ValidPacket(ID, VIDEO, List.of(new NoteDraft("one note", 12.0))),
                accepted(single("  one note\r\n", 12)));
    }

    @Test
    void singleNoteWithNullNotesIsAccepted() {
        Map<String, Object> payload = single("one", 1);
        payload.put("notes", null);
        assertEquals(1, accepted(payload).notes().size());
    }

    @Test
    void singleNoteWithoutTimestampIsInvalidOnTimestamp() {
        assertProblem(PacketProblem.Kind.INVALID, "timestamp", rejected(map("packetId", ID, "videoUrl", URL, "text", "x")));
    }

    @Test
    void singleNoteWithoutTextIsInvalidOnText() {
        assertProblem(PacketProblem.Kind.INVALID, "text", rejected(map("packetId", ID, "videoUrl", URL, "timestamp", 1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -100})
    void singleNoteWithNegativeTimestampIsInvalidOnTimestamp(int timestamp) {
        PacketProblem problem = rejected(single("x", timestamp));
        assertProblem(PacketProblem.Kind.INVALID, "timestamp", problem);
        assertTrue(problem.message().startsWith("timestamp must be a finite number >= 0"), problem.message());
    }

    @Test
    void singleNoteWithNullTimestampIsInvalidOnTimestamp() {
        assertProblem(PacketProblem.Kind.INVALID, "timestamp", rejected(single("x", null)));
    }

    @Test
    void singleNoteWithTextThatIsNotAStringIsInvalidOnText() {
        assertProblem(PacketProblem.Kind.INVALID, "text", rejected(single(list("x"), 1)));
    }

    @Test
    void singleNoteTooLongIsTooLargeOnText() {
        assertProblem(PacketProblem.Kind.TOO_LARGE, "text", rejected(single("a".repeat(10_001), 1)));
    }

    @Test
    void singleNoteEmptyAfterCleaningIsInvalid() {
        PacketProblem problem = rejected(single(" \u0000 ", 1));
        assertProblem(PacketProblem.Kind.INVALID, "notes", problem);
        assertTrue(problem.message().contains("empty after cleaning"), problem.message());
    }

    @Test
    void notesTogetherWithTextIsInvalidOnText() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("text", "y");
        payload.put("timestamp", 2);
        PacketProblem problem = rejected(payload);
        assertProblem(PacketProblem.Kind.INVALID, "text", problem);
        assertTrue(problem.message().contains("either"), problem.message());
    }

    @Test
    void notesTogetherWithOnlyTimestampIsInvalidOnTimestamp() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("timestamp", 2);
        assertProblem(PacketProblem.Kind.INVALID, "timestamp", rejected(payload));
    }

    // --- odd payloads never throw ---

    static Stream<Object> oddPayloads() {
        Map<String, Object> deep = map();
        Map<String, Object> cursor = deep;
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> next = map();
            cursor.put("notes", next);
            cursor = next;
        }
        Map<Object, Object> nonStringKeys = new LinkedHashMap<>();
        nonStringKeys.put(1, "x");
        nonStringKeys.put(null, null);
        nonStringKeys.put("packetId", ID);
        return Stream.of(
                map(),
                map("packetId", null, "videoUrl", null, "notes", null),
                map("packetId", new BigInteger("9".repeat(500)), "videoUrl", new BigDecimal("1e99999")),
                packet(list(list(list(list())))),
                packet(list(map("text", map("text", map()), "timestamp", list()))),
                packet(new byte[1024]),
                packetWithNote(new byte[] {'h', 'i'}, new byte[] {1}),
                packetWithNote("x", new BigDecimal("9".repeat(400) + "e99999")),
                deep,
                nonStringKeys,
                new TreeMap<>(Map.of(1, 2)),
                new ThrowingMap());
    }

    @ParameterizedTest
    @MethodSource("oddPayloads")
    void oddPayloadsAreRejectedWithoutThrowing(Object payload) {
        PacketProblem problem = rejected(payload);
        assertFalse(problem.message().isBlank());
        assertFalse(problem.field().isBlank());
    }

    @Test
    void mapWhoseLookupsFailIsRejectedAsAnUnreadablePacket() {
        assertProblem(PacketProblem.Kind.INVALID, "packet", rejected(new ThrowingMap()));
    }

    /** Not anything Jackson makes; stands for whatever could go wrong while reading. */
    private static final class ThrowingMap extends AbstractMap<String, Object> {
        @Override
        public Set<Entry<String, Object>> entrySet() {
            throw new IllegalStateException("boom");
        }

        @Override
        public Object get(Object key) {
            throw new IllegalStateException("boom");
        }
    }

    // --- envelope ---

    @Test
    void envelopeReadsPacketIdAndAccessToken() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("accessToken", "a.b.c");
        assertEquals(new PacketEnvelope(ID, true, "a.b.c"), PacketParser.envelope(payload));
    }

    @Test
    void envelopeOfAPacketWithoutAccessTokenHasNone() {
        assertEquals(new PacketEnvelope(ID, false, null), PacketParser.envelope(packetWithNote("x", 1)));
    }

    @Test
    void envelopeTreatsANullAccessTokenAsAbsent() {
        Map<String, Object> payload = packetWithNote("x", 1);
        payload.put("accessToken", null);
        assertEquals(new PacketEnvelope(ID, false, null), PacketParser.envelope(payload));
    }

    @ParameterizedTest
    @MethodSource("tokensOfAnyType")
    void envelopeKeepsAnAccessTokenOfAnyType(Object token) {
        PacketEnvelope envelope = PacketParser.envelope(map("accessToken", token));
        assertTrue(envelope.hasAccessToken());
        assertEquals(token, envelope.accessToken());
    }

    static Stream<Object> tokensOfAnyType() {
        return Stream.of("", 42, true, list("a"), map("t", "a"));
    }

    @Test
    void envelopeIgnoresAnInvalidPacketId() {
        assertNull(PacketParser.envelope(map("packetId", "bad id", "accessToken", "t")).packetId());
    }

    @Test
    void envelopeIgnoresAPacketIdThatIsNotAString() {
        assertNull(PacketParser.envelope(map("packetId", 42)).packetId());
    }

    @Test
    void envelopeReadsAPacketWhoseOtherFieldsAreInvalid() {
        assertEquals(new PacketEnvelope(ID, true, "t"),
                PacketParser.envelope(map("packetId", ID, "videoUrl", 5, "notes", "no", "accessToken", "t")));
    }

    @ParameterizedTest
    @MethodSource("notObjects")
    void envelopeOfAPayloadThatIsNotAnObjectIsEmpty(Object payload) {
        assertEquals(new PacketEnvelope(null, false, null), PacketParser.envelope(payload));
    }

    @Test
    void envelopeOfAMapWhoseLookupsFailIsEmpty() {
        assertEquals(new PacketEnvelope(null, false, null), PacketParser.envelope(new ThrowingMap()));
    }

    private static ValidPacket accepted(PacketParser parser, Object payload) {
        ParseResult result = parser.parse(payload);
        return assertInstanceOf(ParseResult.Accepted.class, result, () -> "rejected: " + result).packet();
    }
}
