package io.notesync.auth;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.notesync.config.ConfigException;
import io.notesync.config.NotesyncConfig;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The key material for the configured algorithm. HS256 both signs and verifies with the shared
 * secret; RS256 and ES256 only verify, with a public key (tokens then come from another issuer).
 */
public final class SigningKeys {

    private final SecretKey secret;
    private final PublicKey publicKey;

    private SigningKeys(SecretKey secret, PublicKey publicKey) {
        this.secret = secret;
        this.publicKey = publicKey;
    }

    public static SigningKeys from(NotesyncConfig.Auth auth) {
        if ("HS256".equals(auth.algorithm())) {
            return new SigningKeys(Keys.hmacShaKeyFor(auth.secret().getBytes(StandardCharsets.UTF_8)), null);
        }
        return new SigningKeys(null, readPublicKey(Path.of(auth.publicKeyFile()), auth.algorithm()));
    }

    public boolean canSign() {
        return secret != null;
    }

    JwtParserBuilder verifying(JwtParserBuilder parser) {
        return secret != null ? parser.verifyWith(secret) : parser.verifyWith(publicKey);
    }

    /** Signs with HS256; only in shared-secret mode. */
    JwtBuilder signing(JwtBuilder builder) {
        if (secret == null) {
            throw new IllegalStateException("tokens can only be issued with auth.algorithm HS256");
        }
        return builder.signWith(secret, Jwts.SIG.HS256);
    }

    private static PublicKey readPublicKey(Path file, String algorithm) {
        try {
            String pem = Files.readString(file)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(pem));
            return KeyFactory.getInstance(algorithm.startsWith("RS") ? "RSA" : "EC").generatePublic(spec);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("config key 'auth.publicKeyFile': " + file
                    + " is not a PEM public key for " + algorithm + " (" + e.getMessage() + ")", e);
        }
    }
}
