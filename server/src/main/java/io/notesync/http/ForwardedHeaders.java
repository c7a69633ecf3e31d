package io.notesync.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.notesync.config.AddressRange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who sent a request and how it was addressed, from the TCP peer and, only when that peer is a
 * trusted proxy ({@code http.trustedProxies}), from the headers the proxy adds. Anyone can send
 * {@code X-Forwarded-For}, so without a trusted peer every such header is ignored.
 *
 * <p>The client is the right-most address in {@code X-Forwarded-For} (or, when the proxy sends
 * none, in {@code Forwarded}'s {@code for=}) that is not itself a trusted proxy: addresses to its
 * left were written by the client or by proxies nobody vouches for. Scheme and host come from the
 * right-most {@code X-Forwarded-Proto} / {@code X-Forwarded-Host} (when absent, {@code Forwarded}'s
 * {@code proto=} / {@code host=}), which the nearest proxy wrote. The X- headers win because the
 * common proxies (nginx, HAProxy, cloud balancers) write those and pass a client's
 * {@code Forwarded} through untouched. Pure, so it is tested alone.
 */
public final class ForwardedHeaders {

    /** Where a request came from and the origin it was addressed to ({@code scheme://host}). */
    public record Source(String clientAddress, String scheme, String host) {
    }

    private static final CharSequence X_FORWARDED_FOR = "X-Forwarded-For";
    private static final CharSequence X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final CharSequence X_FORWARDED_HOST = "X-Forwarded-Host";
    private static final CharSequence FORWARDED = "Forwarded";
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::\\d{1,5})?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private final List<AddressRange> trustedProxies;
    private final String directScheme;

    /** @param tls whether notesync itself terminates TLS: then a request reached it over https */
    public ForwardedHeaders(List<AddressRange> trustedProxies, boolean tls) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.directScheme = tls ? "https" : "http";
    }

    public Source resolve(SocketAddress peer, HttpHeaders headers) {
        InetAddress peerAddress = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        String peerText = peerAddress != null ? peerAddress.getHostAddress() : String.valueOf(peer);
        String host = headers.get(HttpHeaderNames.HOST);
        if (peerAddress == null || !trusted(peerAddress)) {
            return new Source(peerText, directScheme, host);
        }
        List<String> forwardedFor = listOf(headers.getAll(X_FORWARDED_FOR));
        List<List<String[]>> forwarded = forwardedElements(headers.getAll(FORWARDED));
        List<String> chain = forwardedFor.isEmpty() ? parameterOf(forwarded, "for") : forwardedFor;

        String client = peerText;
        for (int i = chain.size() - 1; i >= 0; i--) {
            InetAddress hop = address(chain.get(i));
            if (hop == null) {
                // "unknown", an obfuscated name or garbage: nothing to its left can be vouched for,
                // so the client is the last hop a trusted proxy was seen at.
                break;
            }
            client = hop.getHostAddress();
            if (!trusted(hop)) {
                break;
            }
        }

        String scheme = lastOf(firstNonEmpty(listOf(headers.getAll(X_FORWARDED_PROTO)), parameterOf(forwarded, "proto")));
        String forwardedHost = lastOf(firstNonEmpty(listOf(headers.getAll(X_FORWARDED_HOST)), parameterOf(forwarded, "host")));
        scheme = scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        return new Source(client,
                "http".equals(scheme) || "https".equals(scheme) ? scheme : directScheme,
                forwardedHost != null && HOST.matcher(forwardedHost).matches() ? forwardedHost : host);
    }

    public boolean trusted(InetAddress address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]:4711}. */
    static InetAddress address(String hop) {
        String text = unquote(hop.trim());
        Matcher v4 = IPV4_WITH_PORT.matcher(text);
        if (v4.matches()) {
            text = v4.group(1);
        }
        Matcher v6 = BRACKETED_IPV6.matcher(text);
        if (v6.matches()) {
            text = v6.group(1);
        }
        return AddressRange.literal(text);
    }

    /** Comma-separated values over every line of a header, in order. */
    private static List<String> listOf(List<String> lines) {
        List<String> values = new ArrayList<>();
        for (String line : lines) {
            for (String value : line.split(",")) {
                if (!value.isBlank()) {
                    values.add(value.trim());
                }
            }
        }
        return values;
    }

    /** RFC 7239: elements separated by commas, each a list of {@code name=value} pairs separated by semicolons. */
    private static List<List<String[]>> forwardedElements(List<String> lines) {
        List<List<String[]>> elements = new ArrayList<>();
        for (String element : listOf(lines)) {
            List<String[]> pairs = new ArrayList<>();
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    pairs.add(new String[] {pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), unquote(pair.substring(eq + 1).trim())});
                }
            }
            elements.add(pairs);
        }
        return elements;
    }

    /** The value of {@code name} in each element that has it, in order. */
    private static List<String> parameterOf(List<List<String[]>> elements, String name) {
        List<String> values = new ArrayList<>();
        for (List<String[]> element : elements) {
            for (String[] pair : element) {
                if (pair[0].equals(name)) {
                    values.add(pair[1]);
                }
            }
        }
        return values;
    }

    private static List<String> firstNonEmpty(List<String> preferred, List<String> otherwise) {
        return preferred.isEmpty() ? otherwise : preferred;
    }

    private static String lastOf(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
