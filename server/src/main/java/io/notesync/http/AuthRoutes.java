package io.notesync.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.notesync.auth.Login;
import io.notesync.auth.LoginOutcome;
import io.notesync.auth.LoginStats;
import io.notesync.auth.TokenVerifier;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.notesync.auth.RefreshTokens;
import io.notesync.auth.TokenIssuer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /auth/login}, {@code /refresh} (and {@code /auth/refresh}), {@code /auth/logout}.
 * Blocking (bcrypt, the database): run on the HTTP executor. The Origin check happened before,
 * in {@link OriginGate}. Without a signing key (RS256/ES256, verify only) these answer 404.
 */
public final class AuthRoutes {

    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
    /** One answer for a wrong password, an unknown user and a throttled attempt: it tells nothing apart. */
    private static final String LOGIN_REFUSED = "wrong username or password, or too many failed attempts (then wait and try again)";

    private final Login login;
    private final RefreshTokens refreshTokens;
    private final TokenIssuer issuer;
    private final Duration accessTokenLifetime;
    private final RefreshCookie cookie;
    private final LoginStats stats;

    /** {@code login}, {@code refreshTokens} and {@code issuer} are null when notesync cannot sign tokens. */
    public AuthRoutes(Login login, RefreshTokens refreshTokens, TokenIssuer issuer, Duration accessTokenLifetime,
               RefreshCookie cookie, LoginStats stats) {
        this.stats = stats;
        this.login = login;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
        this.accessTokenLifetime = accessTokenLifetime;
        this.cookie = cookie;
    }

    HttpAnswer login(HttpRequestData request) {
        requireEnabled();
        JsonNode body = request.jsonObject();
        JsonNode username = body.get("username");
        JsonNode password = body.get("password");
        if (username == null || !username.isTextual() || password == null || !password.isTextual()) {
            throw HttpError.badRequest("the body must be {\"username\": string, \"password\": string}");
        }
        String name = username.asText();
        LoginOutcome outcome = name.isEmpty() || name.length() > TokenVerifier.MAX_USERNAME_LENGTH
                ? LoginOutcome.REFUSED
                : login.check(name, password.asText().toCharArray(), request.clientAddress());
        // Never the password; the username as typed, escaped, since it is whatever the client sent.
        log.info("login of {} from {}: {}", LogText.of(name), LogText.of(request.clientAddress()), outcome.label());
        stats.login(outcome);
        if (outcome != LoginOutcome.ACCEPTED) {
            throw HttpError.unauthorized("invalidCredentials", LOGIN_REFUSED);
        }
        RefreshTokens.Issued refresh = refreshTokens.start(name);
        return new HttpAnswer(HttpResponseStatus.OK, accessTokenBody(name), List.of(cookie.set(refresh.token(), refresh.lifetime())));
    }

    HttpAnswer refresh(HttpRequestData request) {
        requireEnabled();
        String presented = cookie.read(request.headers());
        if (presented == null) {
            throw HttpError.unauthorized("invalidRefreshToken", "no refresh-token cookie was sent; log in");
        }
        RefreshTokens.Outcome outcome = refreshTokens.refresh(presented);
        if (outcome instanceof RefreshTokens.Outcome.Rotated rotated) {
            return new HttpAnswer(HttpResponseStatus.OK, accessTokenBody(rotated.username()),
                    List.of(cookie.set(rotated.next().token(), rotated.next().lifetime())));
        }
        if (outcome instanceof RefreshTokens.Outcome.WithinGrace grace) {
            // The browser already holds the successor from the refresh that rotated this token.
            return new HttpAnswer(HttpResponseStatus.OK, accessTokenBody(grace.username()), List.of());
        }
        throw HttpError.unauthorized("invalidRefreshToken", ((RefreshTokens.Outcome.Refused) outcome).why() + "; log in");
    }

    HttpAnswer logout(HttpRequestData request) {
        requireEnabled();
        refreshTokens.revoke(cookie.read(request.headers()));
        return new HttpAnswer(HttpResponseStatus.NO_CONTENT, null, List.of(cookie.clear()));
    }

    private Map<String, Object> accessTokenBody(String username) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessToken", issuer.issue(username, accessTokenLifetime));
        body.put("expiresIn", accessTokenLifetime.toSeconds());
        body.put("username", username);
        return body;
    }

    private void requireEnabled() {
        if (issuer == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "loginDisabled",
                    "notesync only verifies tokens here (auth.algorithm is not HS256); log in where they are issued");
        }
    }

}
