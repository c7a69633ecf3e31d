package io.notesync.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.notesync.account.Accounts;
import io.notesync.account.ExportWriter;
import io.notesync.auth.Login;
import io.notesync.auth.LoginOutcome;
import io.notesync.auth.LoginStats;
import io.notesync.auth.PasswordPolicy;
import io.notesync.auth.RefreshTokens;
import io.notesync.auth.TokenIssuer;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The person's own account (docs/protocol.md "Accounts"): {@code POST /auth/password},
 * {@code POST /auth/logout-all}, {@code GET /api/export}, {@code DELETE /api/account}. Each needs
 * the Bearer token; the Origin check happened in {@link OriginGate}. A password given to confirm
 * goes through the login throttle, so these routes are no way around it. Blocking: run on the
 * HTTP executor.
 */
public final class AccountRoutes {

    private static final Logger log = LoggerFactory.getLogger(AccountRoutes.class);
    private static final String WRONG_PASSWORD = "the password is wrong, or there were too many failed attempts (then wait and try again)";

    private final BearerAuth bearer;
    private final Accounts accounts;
    private final Login login;
    private final PasswordPolicy policy;
    private final RefreshTokens refreshTokens;
    private final TokenIssuer issuer;
    private final Duration accessTokenLifetime;
    private final RefreshCookie cookie;
    private final LoginStats stats;
    private final Consumer<String> afterRemoval;
    private final Clock clock;

    /**
     * @param login, refreshTokens, issuer null when notesync cannot sign tokens: then the routes
     *               that need a password or answer a token are 404 {@code loginDisabled}
     * @param afterRemoval told a removed username, to sweep what packets in flight left behind later
     */
    public AccountRoutes(BearerAuth bearer, Accounts accounts, Login login, PasswordPolicy policy, RefreshTokens refreshTokens,
                  TokenIssuer issuer, Duration accessTokenLifetime, RefreshCookie cookie, LoginStats stats,
                  Consumer<String> afterRemoval, Clock clock) {
        this.bearer = bearer;
        this.accounts = accounts;
        this.login = login;
        this.policy = policy;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
        this.accessTokenLifetime = accessTokenLifetime;
        this.cookie = cookie;
        this.stats = stats;
        this.afterRemoval = afterRemoval;
        this.clock = clock;
    }

    /** 200 with a new access token and refresh cookie for this session; every other session ends. */
    HttpAnswer changePassword(HttpRequestData request) {
        requireLogin();
        String username = bearer.username(request);
        JsonNode body = request.jsonObject();
        JsonNode current = body.get("currentPassword");
        JsonNode next = body.get("newPassword");
        if (current == null || !current.isTextual() || next == null || !next.isTextual()) {
            throw HttpError.badRequest("the body must be {\"currentPassword\": string, \"newPassword\": string}");
        }
        confirm(username, current.asText(), request);
        char[] password = next.asText().toCharArray();
        String problem = policy.problemWith(password);
        if (problem != null) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "weakPassword", "newPassword", problem);
        }
        accounts.changePassword(username, password);
        log.info("user {} changed their password from {}; every other session ends", LogText.of(username),
                LogText.of(request.clientAddress()));
        // Issued after the revocation moment: this session goes on with them.
        RefreshTokens.Issued refresh = refreshTokens.start(username);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accessToken", issuer.issue(username, accessTokenLifetime));
        answer.put("expiresIn", accessTokenLifetime.toSeconds());
        answer.put("username", username);
        return new HttpAnswer(HttpResponseStatus.OK, answer, List.of(cookie.set(refresh.token(), refresh.lifetime())));
    }

    /** 204; every session of the user ends, this one included, and this cookie is cleared. */
    HttpAnswer logoutAll(HttpRequestData request) {
        String username = bearer.username(request);
        accounts.endEverySession(username);
        log.info("user {} logged out everywhere from {}", LogText.of(username), LogText.of(request.clientAddress()));
        return new HttpAnswer(HttpResponseStatus.NO_CONTENT, null, List.of(cookie.clear()));
    }

    /** The whole account, streamed: JSON, or Markdown with {@code ?format=markdown}. */
    HttpAnswer export(HttpRequestData request) {
        String username = bearer.username(request);
        String format = request.single("format");
        String base = "notesync-export-" + username.replaceAll("[^A-Za-z0-9.-]+", "-");
        StreamedBody body;
        if (format == null || format.equals("json")) {
            body = new StreamedBody("application/json; charset=utf-8", base + ".json",
                    out -> ExportWriter.json(accounts, username, clock.instant(), out));
        } else if (format.equals("markdown")) {
            body = new StreamedBody("text/markdown; charset=utf-8", base + ".md",
                    out -> ExportWriter.markdown(accounts, username, clock.instant(), out));
        } else {
            throw HttpError.badRequest("format", "format is json (the default) or markdown");
        }
        log.info("user {} exports their account ({})", LogText.of(username), format == null ? "json" : format);
        return HttpAnswer.ok(body);
    }

    /** 204; the user, every note and refresh token go, and every session ends. */
    HttpAnswer deleteAccount(HttpRequestData request) {
        requireLogin();
        String username = bearer.username(request);
        JsonNode password = request.jsonObject().get("password");
        if (password == null || !password.isTextual()) {
            throw HttpError.badRequest("the body must be {\"password\": string}");
        }
        confirm(username, password.asText(), request);
        Accounts.Removal removal = accounts.remove(username);
        afterRemoval.accept(username);
        log.info("user {} deleted their account from {}: {} notes and {} refresh tokens removed", LogText.of(username),
                LogText.of(request.clientAddress()), removal.notes(), removal.refreshTokens());
        return new HttpAnswer(HttpResponseStatus.NO_CONTENT, null, List.of(cookie.clear()));
    }

    /** The password of the token's user, checked like a login (throttled, logged, counted); 401 otherwise. */
    private void confirm(String username, String password, HttpRequestData request) {
        LoginOutcome outcome = login.check(username, password.toCharArray(), request.clientAddress());
        stats.login(outcome);
        if (outcome != LoginOutcome.ACCEPTED) {
            log.info("password confirmation of {} from {}: {}", LogText.of(username), LogText.of(request.clientAddress()),
                    outcome.label());
            throw HttpError.unauthorized("invalidCredentials", WRONG_PASSWORD);
        }
    }

    private void requireLogin() {
        if (issuer == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "loginDisabled",
                    "notesync only verifies tokens here (auth.algorithm is not HS256); manage the account where tokens are issued");
        }
    }

}
