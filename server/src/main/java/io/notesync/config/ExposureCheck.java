package io.notesync.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Refuses to put a publicly known token secret on a network. The secret shipped in the
 * repository's config files lets anyone mint an access token for any user; that is fine for
 * trying notesync on one's own machine (loopback), never on an address others can reach.
 */
public final class ExposureCheck {

    /**
     * Every {@code auth.secret} published in the repository's {@code config/*.yml} (a test keeps
     * this list in step with those files).
     */
    static final Set<String> PUBLISHED_SECRETS = Set.of("dev-only-secret-change-me-0123456789abcdef");

    private ExposureCheck() {
    }

    /** @throws ConfigException naming auth.secret and server.host when the secret is public and the host is not loopback */
    public static void requireSafeToListen(NotesyncConfig config) {
        NotesyncConfig.Auth auth = config.auth();
        if (!"HS256".equals(auth.algorithm()) || auth.secret() == null) {
            return; // RS256/ES256: notesync holds only a public key
        }
        String problem = null;
        if (PUBLISHED_SECRETS.contains(auth.secret())) {
            problem = "is the development secret published in config/notesync.yml, so anyone can mint tokens for any user";
        } else if (auth.secret().getBytes(StandardCharsets.UTF_8).length < ConfigValidator.MIN_HS256_SECRET_BYTES) {
            problem = "is shorter than " + ConfigValidator.MIN_HS256_SECRET_BYTES + " bytes";
        }
        String host = config.server().host();
        if (problem != null && !loopbackOnly(host)) {
            throw new ConfigException("config key 'auth.secret' " + problem + "; refusing to listen on server.host '"
                    + host + "', which is not a loopback address. Set a secret of your own (at least "
                    + ConfigValidator.MIN_HS256_SECRET_BYTES + " random bytes) in the environment, e.g. "
                    + "export NOTESYNC_JWT_SECRET=\"$(openssl rand -base64 48)\", or keep server.host at 127.0.0.1");
        }
    }

    /** True when every address {@code host} names is a loopback address; a name that does not resolve is not. */
    static boolean loopbackOnly(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
