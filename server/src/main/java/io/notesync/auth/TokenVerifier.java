package io.notesync.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.notesync.config.NotesyncConfig;
import io.notesync.logging.LogText;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Pattern;

/**
 * Checks access tokens: structure, the pinned algorithm, signature, {@code exp}, {@code nbf}, and
 * where configured {@code iss} and {@code aud}; then reads the username claim. Thread-safe and
 * CPU-only, so it may run on a Netty event loop.
 */
public final class TokenVerifier {

    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FALLBACK_USERNAME_CLAIM = "sub";
    public static final String REVOKED_MESSAGE =
            "the access token was revoked (a password change, log out everywhere, or the account's removal); refresh or log in again";
    /** docs/protocol.md: a longer username is not usable. */
    public static final int MAX_USERNAME_LENGTH = 256;

    private final String algorithm;
    private final String usernameClaim;
    private final JwtParser parser;
    private final Revocations revocations;

    public TokenVerifier(NotesyncConfig.Auth auth, SigningKeys keys, Clock clock) {
        this(auth, keys, clock, null);
    }

    /** @param revocations each user's revocation moment; null: none is ever revoked (tools, tests) */
    public TokenVerifier(NotesyncConfig.Auth auth, SigningKeys keys, Clock clock, Revocations revocations) {
        this.revocations = revocations;
        this.algorithm = auth.algorithm();
        this.usernameClaim = auth.usernameClaim();
        JwtParserBuilder builder = keys.verifying(Jwts.parser())
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(auth.clockSkewSeconds());
        if (auth.issuer() != null) {
            builder.requireIssuer(auth.issuer());
        }
        if (auth.audience() != null) {
            builder.requireAudience(auth.audience());
        }
        this.parser = builder.build();
    }

    public TokenCheck check(Object token) {
        if (token == null || (token instanceof String s && s.isEmpty())) {
            return new TokenCheck.Rejected(TokenRejection.MISSING, "no access token was sent");
        }
        if (!(token instanceof String compact)) {
            return new TokenCheck.Rejected(TokenRejection.MALFORMED, "the access token must be a string");
        }
        if (!COMPACT_JWS.matcher(compact).matches()) {
            return new TokenCheck.Rejected(TokenRejection.MALFORMED, "the access token is not three base64url segments");
        }
        String[] segments = compact.split("\\.", -1);
        JsonNode header = decodeJsonObject(segments[0]);
        if (header == null || decodeJsonObject(segments[1]) == null) {
            return new TokenCheck.Rejected(TokenRejection.MALFORMED, "the access token's header or payload is not JSON");
        }
        // Pinned before jjwt sees it: jjwt alone would accept any HMAC algorithm the key is long enough for.
        String tokenAlgorithm = header.path("alg").asText("");
        if (!algorithm.equals(tokenAlgorithm)) {
            return new TokenCheck.Rejected(TokenRejection.INVALID,
                    "the access token is signed with '" + tokenAlgorithm + "'; only " + algorithm + " is accepted");
        }
        Claims claims;
        try {
            claims = parser.parseSignedClaims(compact).getPayload();
        } catch (ExpiredJwtException e) {
            return new TokenCheck.Rejected(TokenRejection.EXPIRED, "the access token has expired");
        } catch (PrematureJwtException e) {
            return new TokenCheck.Rejected(TokenRejection.INVALID, "the access token is not valid yet (nbf)");
        } catch (IncorrectClaimException | MissingClaimException e) {
            return new TokenCheck.Rejected(TokenRejection.INVALID,
                    "the access token's '" + e.getClaimName() + "' claim is not the one required");
        } catch (MalformedJwtException e) {
            // Structure and JSON were checked above: what jjwt still finds malformed is a claim of the
            // wrong type (a numeric sub, a textual exp), which docs/protocol.md calls invalid.
            return new TokenCheck.Rejected(TokenRejection.INVALID, "the access token has a claim of the wrong type");
        } catch (JwtException | IllegalArgumentException e) {
            return new TokenCheck.Rejected(TokenRejection.INVALID, "the access token's signature is not valid");
        }
        Date expiration = claims.getExpiration();
        if (expiration == null) {
            return new TokenCheck.Rejected(TokenRejection.INVALID, "the access token has no 'exp' claim");
        }
        Object username = claims.containsKey(usernameClaim) ? claims.get(usernameClaim) : claims.get(FALLBACK_USERNAME_CLAIM);
        if (!(username instanceof String name) || name.isEmpty()) {
            return new TokenCheck.Rejected(TokenRejection.INVALID,
                    "the access token has no string '" + usernameClaim + "' or '" + FALLBACK_USERNAME_CLAIM + "' claim");
        }
        String unusable = problemWithUsername(name);
        if (unusable != null) {
            return new TokenCheck.Rejected(TokenRejection.INVALID, unusable);
        }
        Date iat = claims.getIssuedAt();
        Instant issuedAt = iat == null ? null : iat.toInstant();
        if (isRevoked(name, issuedAt)) {
            return new TokenCheck.Rejected(TokenRejection.REVOKED, REVOKED_MESSAGE);
        }
        return new TokenCheck.Valid(name, expiration.toInstant(), issuedAt);
    }

    /** docs/protocol.md "Accounts": a token issued before its user's revocation moment, or without iat once there is one. */
    public boolean isRevoked(String username, Instant issuedAt) {
        return revocations != null && revocations.revokes(username, issuedAt);
    }

    /**
     * Why a token's username cannot name anyone (it is a room name and goes into log lines), or
     * null: longer than {@value #MAX_USERNAME_LENGTH} characters, or holding a control character
     * (C0, C1, U+2028/U+2029) or a bidi control.
     */
    static String problemWithUsername(String name) {
        if (name.codePointCount(0, name.length()) > MAX_USERNAME_LENGTH) {
            return "the access token's username is longer than " + MAX_USERNAME_LENGTH + " characters";
        }
        if (LogText.hasUnsafe(name)) {
            return "the access token's username holds a control or bidi character";
        }
        return null;
    }

    private static JsonNode decodeJsonObject(String segment) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(segment));
            return node != null && node.isObject() ? node : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
