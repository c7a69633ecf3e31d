package io.notesync.http;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Judges a request's {@code Origin}: absent (not a browser, or a same-origin GET), notesync's own
 * (scheme and host the request was addressed to, as {@link ForwardedHeaders} sees them: https when
 * notesync terminates TLS, a trusted proxy's {@code X-Forwarded-Proto}/{@code -Host}; or the
 * configured public URL), one of the
 * allowed origins, or refused. {@code Origin: null} is refused. Pure, so it is tested alone.
 */
public final class OriginPolicy {

    public enum Verdict {
        /** No Origin header: judged by token or cookie alone. */
        NONE,
        SAME_ORIGIN,
        /** A configured cross-origin client: CORS headers with credentials. */
        ALLOWED,
        REFUSED
    }

    private final Set<String> allowed = new HashSet<>();
    private final String publicOrigin;

    public OriginPolicy(List<String> allowedOrigins, String publicUrl) {
        for (String origin : allowedOrigins) {
            allowed.add(normalize(origin));
        }
        this.publicOrigin = publicUrl == null ? null : normalize(publicUrl.endsWith("/")
                ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl);
    }

    /**
     * @param scheme {@code http} or {@code https}: how the request reached notesync (or its proxy)
     * @param host   the host it was addressed to (may be null)
     */
    public Verdict judge(String origin, String scheme, String host) {
        if (origin == null) {
            return Verdict.NONE;
        }
        String normalized = normalize(origin.trim());
        if (normalized.equals(publicOrigin) || (host != null && normalized.equals(normalize(scheme + "://" + host.trim())))) {
            return Verdict.SAME_ORIGIN;
        }
        return allowed.contains(normalized) ? Verdict.ALLOWED : Verdict.REFUSED;
    }

    /** Lower case, and without the scheme's default port, as browsers serialise origins. */
    private static String normalize(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") && lower.endsWith(":80")) {
            return lower.substring(0, lower.length() - 3);
        }
        if (lower.startsWith("https://") && lower.endsWith(":443")) {
            return lower.substring(0, lower.length() - 4);
        }
        return lower;
    }
}
