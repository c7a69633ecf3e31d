package io.notesync.notes;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@code videoUrl} into the canonical identity of its video (docs/protocol.md, "The video base
 * URL"), so that the same video reached through different URLs shares one set of notes.
 *
 * <ul>
 *   <li>YouTube ({@code youtube.com}, {@code www.}, {@code m.}, {@code music.},
 *       {@code youtube-nocookie.com}, {@code www.youtube-nocookie.com}, {@code youtu.be}) with an
 *       id from {@code /watch?v=ID}, {@code /embed/ID}, {@code /shorts/ID}, {@code /live/ID} or
 *       {@code youtu.be/ID}: key {@code youtube:ID}, url {@code https://www.youtube.com/watch?v=ID}.</li>
 *   <li>Vimeo ({@code vimeo.com/N}, {@code www.vimeo.com/N}, {@code player.vimeo.com/video/N}):
 *       key {@code vimeo:N}, url {@code https://vimeo.com/N}.</li>
 *   <li>Any other http(s) URL, and a YouTube or Vimeo URL without a recognisable id: scheme and
 *       host lower-cased, default port, fragment, time and tracking parameters removed, remaining
 *       query parameters sorted (by name, then value, each kept in its original encoding);
 *       key {@code url:} + that URL.</li>
 * </ul>
 *
 * <p>Leniency, so that what a browser's {@code location.href} holds is accepted although
 * {@link URI} is stricter than the WHATWG URL standard: surrounding whitespace is stripped, the
 * fragment is cut off before parsing (browsers leave characters in it that {@link URI} refuses),
 * and after the authority, non-ASCII characters and the ASCII characters
 * {@code space " < > [ \ ] ^ ` { | }} are percent-encoded (UTF-8) before parsing. A host that is
 * not a valid internet host name for {@link URI} (an underscore, non-ASCII letters) is read from
 * the authority itself, non-ASCII labels converted to punycode.
 */
public final class VideoUrls {

    /** The longest {@code videoUrl} accepted, in UTF-16 chars as sent. */
    public static final int MAX_LENGTH = 2048;
    /** The key of a video that is not on a known video site: this prefix and the canonical URL. */
    public static final String URL_KEY_PREFIX = "url:";

    private static final String ABSOLUTE_HTTP = "videoUrl must be an absolute http or https URL";

    private static final Set<String> YOUTUBE_HOSTS = Set.of(
            "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
            "youtube-nocookie.com", "www.youtube-nocookie.com");
    private static final String YOUTU_BE = "youtu.be";
    private static final Pattern YOUTUBE_ID = Pattern.compile("[A-Za-z0-9_-]{11}");
    private static final Pattern YOUTUBE_ID_PATH = Pattern.compile("/(?:embed|shorts|live)/([A-Za-z0-9_-]{11})/?");
    private static final Pattern YOUTU_BE_PATH = Pattern.compile("/([A-Za-z0-9_-]{11})/?");

    private static final Set<String> VIMEO_HOSTS = Set.of("vimeo.com", "www.vimeo.com");
    private static final String PLAYER_VIMEO = "player.vimeo.com";
    private static final Pattern VIMEO_PATH = Pattern.compile("/([0-9]+)/?");
    private static final Pattern PLAYER_VIMEO_PATH = Pattern.compile("/video/([0-9]+)/?");

    /** Query parameters that mark a time or track a visit, not which video it is. */
    private static final Set<String> DROPPED_PARAMETERS = Set.of("t", "start", "si", "feature", "fbclid", "gclid");

    /** A URL's scheme, as RFC 3986 spells it. */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");

    /** A host name read from the authority when {@link URI} did not take it as a server name. */
    private static final Pattern FALLBACK_AUTHORITY = Pattern.compile("([^:@\\[\\]]+)(?::([0-9]*))?");
    private static final Pattern FALLBACK_HOST = Pattern.compile("[a-z0-9._-]+");

    /** Characters {@link URI} refuses but browsers leave unencoded in paths and queries. */
    private static final String ENCODED_ASCII = " \"<>[\\]^`{|}";

    private VideoUrls() {
    }

    /**
     * The canonical video of {@code url}.
     *
     * @throws InvalidVideoUrlException when {@code url} is null, too long, not an absolute http(s)
     *     URL with a host, carries credentials, or does not parse; the message says which
     */
    public static Video canonicalize(String url) {
        if (url == null) {
            throw new InvalidVideoUrlException("videoUrl is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw new InvalidVideoUrlException(
                    "videoUrl must be at most " + MAX_LENGTH + " characters, got " + url.length());
        }
        String text = url.strip();
        if (text.isEmpty()) {
            throw new InvalidVideoUrlException("videoUrl must not be empty");
        }
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash);
        }
        // The scheme and an empty authority are judged before parsing, so that a javascript: or
        // data: URL, or "https://", says what is wrong with it rather than where it stopped parsing.
        Matcher schemeMatch = SCHEME.matcher(text);
        if (!schemeMatch.lookingAt()) {
            throw new InvalidVideoUrlException(ABSOLUTE_HTTP + "; it has no scheme");
        }
        String scheme = schemeMatch.group(1).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidVideoUrlException(ABSOLUTE_HTTP
                    + (scheme.length() <= 32 ? "; " + scheme + ": URLs are not accepted" : ""));
        }
        int authorityStart = schemeMatch.end() + 2;
        if (!text.startsWith("//", schemeMatch.end()) || authorityEnd(text, authorityStart) == authorityStart) {
            throw new InvalidVideoUrlException(ABSOLUTE_HTTP + " with a host");
        }
        URI uri;
        try {
            uri = new URI(encodeAfterAuthority(text));
        } catch (URISyntaxException e) {
            throw new InvalidVideoUrlException("videoUrl is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }

        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            throw new InvalidVideoUrlException(ABSOLUTE_HTTP + " with a host");
        }
        if (uri.getRawUserInfo() != null || authority.indexOf('@') >= 0) {
            throw new InvalidVideoUrlException("videoUrl must not contain credentials (user info before '@')");
        }

        String host;
        int port;
        if (uri.getHost() != null) {
            host = uri.getHost().toLowerCase(Locale.ROOT);
            port = uri.getPort();
        } else {
            Matcher m = FALLBACK_AUTHORITY.matcher(authority);
            if (!m.matches()) {
                throw new InvalidVideoUrlException("videoUrl has an invalid host or port");
            }
            host = asciiHost(m.group(1));
            port = parsePort(m.group(2));
        }
        if (host.isEmpty()) {
            throw new InvalidVideoUrlException(ABSOLUTE_HTTP + " with a host");
        }
        if (port > 65_535) {
            throw new InvalidVideoUrlException("videoUrl has an invalid port: " + port);
        }

        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        List<Parameter> parameters = Parameter.parse(uri.getRawQuery());

        Video known = knownVideo(matchableHost(host), path, parameters);
        if (known != null) {
            return known;
        }
        return generic(scheme, host, port, path, parameters);
    }

    private static Video knownVideo(String host, String path, List<Parameter> parameters) {
        if (YOUTUBE_HOSTS.contains(host)) {
            if (path.equals("/watch") || path.equals("/watch/")) {
                for (Parameter p : parameters) {
                    if (p.name.equals("v")) {
                        return p.value != null && YOUTUBE_ID.matcher(p.value).matches() ? youtube(p.value) : null;
                    }
                }
                return null;
            }
            Matcher m = YOUTUBE_ID_PATH.matcher(path);
            return m.matches() ? youtube(m.group(1)) : null;
        }
        if (host.equals(YOUTU_BE)) {
            Matcher m = YOUTU_BE_PATH.matcher(path);
            return m.matches() ? youtube(m.group(1)) : null;
        }
        if (VIMEO_HOSTS.contains(host)) {
            Matcher m = VIMEO_PATH.matcher(path);
            return m.matches() ? vimeo(m.group(1)) : null;
        }
        if (host.equals(PLAYER_VIMEO)) {
            Matcher m = PLAYER_VIMEO_PATH.matcher(path);
            return m.matches() ? vimeo(m.group(1)) : null;
        }
        return null;
    }

    private static Video youtube(String id) {
        return new Video("youtube:" + id, "https://www.youtube.com/watch?v=" + id);
    }

    private static Video vimeo(String id) {
        return new Video("vimeo:" + id, "https://vimeo.com/" + id);
    }

    private static Video generic(String scheme, String host, int port, String path, List<Parameter> parameters) {
        StringBuilder url = new StringBuilder(scheme).append("://").append(host);
        boolean defaultPort = port < 0
                || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        if (!defaultPort) {
            url.append(':').append(port);
        }
        url.append(path);
        List<Parameter> kept = new ArrayList<>();
        for (Parameter p : parameters) {
            if (!DROPPED_PARAMETERS.contains(p.name) && !p.name.startsWith("utm_")) {
                kept.add(p);
            }
        }
        kept.sort(Parameter.ORDER);
        for (int i = 0; i < kept.size(); i++) {
            url.append(i == 0 ? '?' : '&').append(kept.get(i).raw);
        }
        String canonical = url.toString();
        return new Video(URL_KEY_PREFIX + canonical, canonical);
    }

    /** The host as matched against the known video sites: without a final dot. */
    private static String matchableHost(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static String asciiHost(String host) {
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new InvalidVideoUrlException("videoUrl has an invalid host");
        }
        if (!FALLBACK_HOST.matcher(ascii).matches()) {
            throw new InvalidVideoUrlException("videoUrl has an invalid host");
        }
        return ascii;
    }

    private static int parsePort(String digits) {
        if (digits == null || digits.isEmpty()) {
            return -1;
        }
        if (digits.length() > 5) {
            throw new InvalidVideoUrlException("videoUrl has an invalid port: " + digits.substring(0, 6) + "...");
        }
        return Integer.parseInt(digits);
    }

    /**
     * Percent-encodes, after the authority of a {@code scheme://authority} URL, the characters
     * {@link URI} refuses although browsers send them unencoded. Anything else is left alone.
     */
    private static String encodeAfterAuthority(String text) {
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            return text;
        }
        int start = authorityEnd(text, schemeEnd + 3);
        StringBuilder out = null;
        for (int i = start; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean encode = cp > 0x7F || ENCODED_ASCII.indexOf(cp) >= 0;
            if (encode) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                if (Character.getType(cp) == Character.SURROGATE) {
                    cp = 0xFFFD; // an unpaired surrogate: what a browser sends in its place
                }
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else if (out != null) {
                out.appendCodePoint(cp);
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /** Where the authority that begins at {@code from} ends: at the first {@code / ? #}, or the end. */
    private static int authorityEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return text.length();
    }

    /** One {@code name[=value]} of a query, kept in its original encoding. */
    private record Parameter(String raw, String name, String value) {

        /** By name, then by value; a parameter without {@code =} before one with an empty value. */
        static final Comparator<Parameter> ORDER = Comparator.comparing(Parameter::name)
                .thenComparing(Parameter::value, Comparator.nullsFirst(Comparator.naturalOrder()));

        static List<Parameter> parse(String rawQuery) {
            List<Parameter> parameters = new ArrayList<>();
            if (rawQuery == null || rawQuery.isEmpty()) {
                return parameters;
            }
            for (String part : rawQuery.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                parameters.add(eq < 0
                        ? new Parameter(part, part, null)
                        : new Parameter(part, part.substring(0, eq), part.substring(eq + 1)));
            }
            return parameters;
        }
    }
}
