package io.notesync.auth;

import io.jsonwebtoken.Jwts;
import io.notesync.config.NotesyncConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Mints access tokens in shared-secret mode: for the CLI's {@code token issue}, and later for login. */
public final class TokenIssuer {

    private final NotesyncConfig.Auth auth;
    private final SigningKeys keys;
    private final Clock clock;

    public TokenIssuer(NotesyncConfig.Auth auth, SigningKeys keys, Clock clock) {
        this.auth = auth;
        this.keys = keys;
        this.clock = clock;
    }

    public String issue(String username, Duration lifetime) {
        Instant now = clock.instant();
        var builder = Jwts.builder()
                .id(UUID.randomUUID().toString())
                .subject(username)
                .claim(auth.usernameClaim(), username)
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(lifetime)));
        if (auth.issuer() != null) {
            builder.issuer(auth.issuer());
        }
        if (auth.audience() != null) {
            builder.audience().add(auth.audience());
        }
        return keys.signing(builder).compact();
    }
}
