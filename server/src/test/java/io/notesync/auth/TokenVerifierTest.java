package io.notesync.auth;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.notesync.config.NotesyncConfig;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class TokenVerifierTest {

    private static final String SECRET = "unit-test-secret-0123456789abcdef-0123456789abcdef-0123456789abcdef";
    private static final SecretKey KEY = Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static NotesyncConfig.Auth auth(String issuer, String audience) {
        return new NotesyncConfig.Auth("HS256", SECRET, null, "username", issuer, audience, 0, 900, 2592000, 10, 600, 12, 8);
    }

    private static TokenVerifier verifier() {
        return verifier(auth(null, null));
    }

    private static TokenVerifier verifier(NotesyncConfig.Auth auth) {
        return new TokenVerifier(auth, SigningKeys.from(auth), CLOCK);
    }

    private static io.jsonwebtoken.JwtBuilder valid() {
        return Jwts.builder().claim("username", "alice").expiration(Date.from(NOW.plus(Duration.ofMinutes(5))));
    }

    private static TokenRejection reasonOf(TokenCheck check) {
        return assertInstanceOf(TokenCheck.Rejected.class, check).reason();
    }

    /** HS256 over any header and payload: jjwt's builder refuses to write a numeric sub. */
    private static String signedByHand(String header, String payload) {
        try {
            String signingInput = b64(header) + "." + b64(payload);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(KEY);
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidTokenNamesItsUserAndExpiry() {
        TokenCheck check = verifier().check(valid().signWith(KEY, Jwts.SIG.HS256).compact());
        TokenCheck.Valid valid = assertInstanceOf(TokenCheck.Valid.class, check);
        assertEquals("alice", valid.username());
        assertEquals(NOW.plus(Duration.ofMinutes(5)), valid.expiresAt());
    }

    @Test
    void theSubjectIsTheUsernameWhenTheUsernameClaimIsAbsent() {
        String token = Jwts.builder().subject("bob").expiration(Date.from(NOW.plusSeconds(60)))
                .signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals("bob", assertInstanceOf(TokenCheck.Valid.class, verifier().check(token)).username());
    }

    @Test
    void noTokenIsMissing() {
        assertEquals(TokenRejection.MISSING, reasonOf(verifier().check(null)));
    }

    @Test
    void anEmptyTokenIsMissing() {
        assertEquals(TokenRejection.MISSING, reasonOf(verifier().check("")));
    }

    @Test
    void aNonStringTokenIsMalformed() {
        assertEquals(TokenRejection.MALFORMED, reasonOf(verifier().check(42)));
    }

    @Test
    void twoSegmentsAreMalformed() {
        assertEquals(TokenRejection.MALFORMED, reasonOf(verifier().check("abc.def")));
    }

    @Test
    void aHeaderThatIsNotJsonIsMalformed() {
        assertEquals(TokenRejection.MALFORMED, reasonOf(verifier().check(b64("not json") + "." + b64("{}") + ".sig")));
    }

    @Test
    void aBadSignatureIsInvalid() {
        SecretKey other = Keys.hmacShaKeyFor("another-secret-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8));
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(valid().signWith(other, Jwts.SIG.HS256).compact())));
    }

    @Test
    void algNoneIsInvalid() {
        String token = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"username\":\"alice\",\"exp\":9999999999}") + ".";
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void hs512IsInvalidWhenHs256IsPinnedEvenWithAKeyLongEnough() {
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(valid().signWith(KEY, Jwts.SIG.HS512).compact())));
    }

    @Test
    void anExpiredTokenIsExpired() {
        String token = valid().expiration(Date.from(NOW.minusSeconds(1))).signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.EXPIRED, reasonOf(verifier().check(token)));
    }

    @Test
    void aTokenNotValidYetIsInvalid() {
        String token = valid().notBefore(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void aTokenWithoutExpIsInvalid() {
        String token = Jwts.builder().claim("username", "alice").signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void aNumericUsernameIsInvalid() {
        String token = valid().claim("username", 42).signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void aNumericSubjectIsInvalid() {
        String token = signedByHand("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":42,\"exp\":9999999999}");
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void noUsernameNorSubjectIsInvalid() {
        String token = Jwts.builder().expiration(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void theWrongIssuerIsInvalidWhenAnIssuerIsConfigured() {
        String token = valid().issuer("someone-else").signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier(auth("notesync", null)).check(token)));
    }

    @Test
    void theWrongAudienceIsInvalidWhenAnAudienceIsConfigured() {
        String token = valid().audience().add("other-app").and().signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier(auth(null, "notesync")).check(token)));
    }

    @Test
    void theConfiguredIssuerAndAudienceAreAccepted() {
        String token = valid().issuer("notesync").audience().add("notesync").and().signWith(KEY, Jwts.SIG.HS256).compact();
        assertInstanceOf(TokenCheck.Valid.class, verifier(auth("notesync", "notesync")).check(token));
    }

    @Test
    void tokensFromTheIssuerVerify() {
        NotesyncConfig.Auth auth = auth(null, null);
        String token = new TokenIssuer(auth, SigningKeys.from(auth), CLOCK).issue("carol", Duration.ofMinutes(1));
        assertEquals("carol", assertInstanceOf(TokenCheck.Valid.class, verifier().check(token)).username());
    }

    @Test
    void aNumericSubjectWithoutUsernameIsInvalidNotMalformed() throws Exception {
        // jjwt refuses to build such a token, so it is signed by hand.
        String signingInput = b64("{\"alg\":\"HS256\"}") + "." + b64("{\"sub\":12345,\"exp\":" + (NOW.getEpochSecond() + 300) + "}");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(KEY);
        String token = signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)));
    }

    @Test
    void aUsernameWithAControlLineOrBidiCharacterIsInvalid() {
        for (String name : new String[] {"a\nb", "a\rb", "a\u0000b", "a\u007fb", "a\u0085b", "a\u2028b", "a\u2029b",
                "a\u202eb", "a\u2066b", "a\u200fb", "a\u061cb"}) {
            String token = valid().claim("username", name).signWith(KEY, Jwts.SIG.HS256).compact();
            assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(token)), name);
        }
    }

    @Test
    void aUsernameOver256CharactersIsInvalidAnd256AreUsable() {
        String long257 = valid().claim("username", "a".repeat(257)).signWith(KEY, Jwts.SIG.HS256).compact();
        assertEquals(TokenRejection.INVALID, reasonOf(verifier().check(long257)));
        String long256 = valid().claim("username", "\u00e9".repeat(256)).signWith(KEY, Jwts.SIG.HS256).compact();
        assertInstanceOf(TokenCheck.Valid.class, verifier().check(long256));
    }
}
