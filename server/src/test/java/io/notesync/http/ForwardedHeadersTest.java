package io.notesync.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.notesync.config.AddressRange;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ForwardedHeadersTest {

    private static final ForwardedHeaders BEHIND_PROXIES = new ForwardedHeaders(
            List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("fd00::/8"), AddressRange.parse("192.0.2.7")), false);
    private static final ForwardedHeaders NO_PROXIES = new ForwardedHeaders(List.of(), false);

    private static InetSocketAddress peer(String address) {
        return new InetSocketAddress(AddressRange.literal(address), 40000);
    }

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    @Test
    void withoutTrustedProxiesEveryForwardedHeaderIsIgnored() {
        ForwardedHeaders.Source source = NO_PROXIES.resolve(peer("203.0.113.9"), headers(
                "Host", "notes.example.com", "X-Forwarded-For", "198.51.100.1", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "evil.example", "Forwarded", "for=198.51.100.2;proto=https;host=evil.example"));
        assertEquals(new ForwardedHeaders.Source("203.0.113.9", "http", "notes.example.com"), source);
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        ForwardedHeaders.Source source = BEHIND_PROXIES.resolve(peer("203.0.113.9"), headers(
                "Host", "notes.example.com", "X-Forwarded-For", "10.0.0.1", "X-Forwarded-Proto", "https"));
        assertEquals(new ForwardedHeaders.Source("203.0.113.9", "http", "notes.example.com"), source);
    }

    @Test
    void aTrustedProxysXForwardedForNamesTheClient() {
        ForwardedHeaders.Source source = BEHIND_PROXIES.resolve(peer("10.1.2.3"), headers(
                "Host", "10.1.2.3:8080", "X-Forwarded-For", "198.51.100.1",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "notes.example.com"));
        assertEquals(new ForwardedHeaders.Source("198.51.100.1", "https", "notes.example.com"), source);
    }

    @Test
    void theRightMostUntrustedAddressWinsSoAClientCannotPickItsOwn() {
        // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw.
        assertEquals("198.51.100.1", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "1.1.1.1, 198.51.100.1")).clientAddress());
        // Two proxies in a row, both trusted: skip both.
        assertEquals("198.51.100.1", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "1.1.1.1, 198.51.100.1, 192.0.2.7, 10.9.9.9")).clientAddress());
        // Several header lines count as one list, in order.
        assertEquals("198.51.100.1", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "198.51.100.1, 10.0.0.2")).clientAddress());
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
        assertEquals("10.0.0.5", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "10.0.0.5, 10.0.0.6")).clientAddress());
    }

    @Test
    void anUnreadableHopStopsTheWalkAtTheLastTrustedOne() {
        assertEquals("10.0.0.6", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "198.51.100.1, unknown, 10.0.0.6")).clientAddress());
        assertEquals("10.1.2.3", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "evil.example.com")).clientAddress());
        assertEquals("10.1.2.3", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "999.1.1.1")).clientAddress());
    }

    @Test
    void portsAndIpv6AreUnderstood() {
        assertEquals("198.51.100.1", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-For", "198.51.100.1:5555")).clientAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", BEHIND_PROXIES.resolve(peer("fd00::1"),
                headers("X-Forwarded-For", "2001:db8::1")).clientAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", BEHIND_PROXIES.resolve(peer("fd00::1"),
                headers("X-Forwarded-For", "[2001:db8::1]:4711, fd12::9")).clientAddress());
    }

    @Test
    void forwardedIsReadWhenNoXForwardedForIsSent() {
        ForwardedHeaders.Source source = BEHIND_PROXIES.resolve(peer("10.1.2.3"), headers(
                "Host", "10.1.2.3:8080",
                "Forwarded", "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https;host=notes.example.com"));
        assertEquals(new ForwardedHeaders.Source("2001:db8:cafe:0:0:0:0:17", "https", "notes.example.com"), source);
        assertEquals("198.51.100.1", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("Forwarded", "for=198.51.100.1;by=10.1.2.3", "Forwarded", "For=10.0.0.8")).clientAddress());
    }

    @Test
    void xForwardedForWinsOverForwarded() {
        assertEquals("198.51.100.1", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("Forwarded", "for=1.1.1.1", "X-Forwarded-For", "198.51.100.1")).clientAddress());
    }

    @Test
    void onlyHttpOrHttpsAndAHostNameAreTakenForTheOrigin() {
        ForwardedHeaders.Source source = BEHIND_PROXIES.resolve(peer("10.1.2.3"), headers(
                "Host", "notes.example.com", "X-Forwarded-Proto", "javascript", "X-Forwarded-Host", "a b/c"));
        assertEquals("http", source.scheme());
        assertEquals("notes.example.com", source.host());
        // The nearest proxy's (right-most) value.
        assertEquals("https", BEHIND_PROXIES.resolve(peer("10.1.2.3"),
                headers("X-Forwarded-Proto", "http, HTTPS")).scheme());
    }

    @Test
    void withTlsADirectRequestIsHttps() {
        ForwardedHeaders tls = new ForwardedHeaders(List.of(), true);
        assertEquals("https", tls.resolve(peer("203.0.113.9"), headers("Host", "notes.example.com")).scheme());
        assertNull(tls.resolve(peer("203.0.113.9"), headers()).host());
    }
}
