package io.notesync.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of notesync's own pages: code, styles and connections from
 * notesync's origin only, so that even a page bug cannot load a foreign script or send a token
 * or password elsewhere. Pure, so it is tested alone.
 *
 * <p>{@code connect-src} names notesync's origin and its WebSocket form: {@code 'self'} covers
 * fetch, and the explicit {@code ws:}/{@code wss:} source covers the Socket.IO WebSocket in every
 * browser. The origin is the configured {@code http.publicUrl}, else the request's {@code Host}
 * (over TLS only {@code wss:}; over plain HTTP both, since a TLS proxy may sit in front).
 */
public final class ContentSecurityPolicy {

    /** A Host header that can go into the policy as is: a name or IPv4 address, or [IPv6], and a port. */
    private static final Pattern SAFE_HOST = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");

    private static final String FIXED = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String publicConnectSources;

    /** @param publicUrl notesync's public origin, or null to take it from each request */
    public ContentSecurityPolicy(String publicUrl) {
        if (publicUrl == null) {
            this.publicConnectSources = null;
        } else {
            String origin = (publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl)
                    .toLowerCase(Locale.ROOT);
            String webSocket = origin.startsWith("https://") ? "wss://" + origin.substring(8) : "ws://" + origin.substring(7);
            this.publicConnectSources = origin + " " + webSocket;
        }
    }

    /**
     * @param host the request's Host header, may be null; one that is not a plain host[:port] is
     *             left out (it must never add a directive), leaving {@code 'self'} alone
     * @param tls  whether the request came over TLS to notesync itself
     */
    public String forRequest(String host, boolean tls) {
        String sources;
        if (publicConnectSources != null) {
            sources = publicConnectSources;
        } else if (host != null && SAFE_HOST.matcher(host.trim()).matches()) {
            String h = host.trim().toLowerCase(Locale.ROOT);
            sources = tls ? "wss://" + h : "ws://" + h + " wss://" + h;
        } else {
            sources = "";
        }
        return FIXED + "; connect-src 'self'" + (sources.isEmpty() ? "" : " " + sources);
    }
}
