package io.notesync.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.notesync.config.NotesyncConfig;

import java.time.Duration;

/** The refresh-token cookie: {@code HttpOnly}, {@code Path=/}, {@code Secure} and {@code SameSite} from config. */
public final class RefreshCookie {

    private final String name;
    private final boolean secure;
    private final CookieHeaderNames.SameSite sameSite;

    public RefreshCookie(NotesyncConfig.Cookie config) {
        this.name = config.name();
        this.secure = config.secure();
        this.sameSite = CookieHeaderNames.SameSite.valueOf(config.sameSite());
    }

    /** The cookie's value in the request, or null. */
    String read(HttpHeaders headers) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
                if (cookie.name().equals(name) && !cookie.value().isEmpty()) {
                    return cookie.value();
                }
            }
        }
        return null;
    }

    String set(String token, Duration lifetime) {
        return encode(token, lifetime.toSeconds());
    }

    /** Same name and path, {@code Max-Age=0}: the browser deletes it. */
    String clear() {
        return encode("", 0);
    }

    private String encode(String value, long maxAgeSeconds) {
        DefaultCookie cookie = new DefaultCookie(name, value);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setSameSite(sameSite);
        cookie.setMaxAge(maxAgeSeconds);
        return ServerCookieEncoder.STRICT.encode(cookie);
    }
}
