package io.notesync.protocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code http.trustedProxies} against a real server over real sockets. The test plays the proxy:
 * it connects from 127.0.0.1 (listed as trusted) and adds {@code X-Forwarded-For} as a proxy does,
 * and from 127.0.0.2 (a loopback address that is not listed) to play a client that forges it.
 */
class TrustedProxyTest {

    private static final String USER = "proxied-user";
    private static final String PASSWORD = "pw-proxied-user-secret";
    private static final String TRUSTED_PEER = "127.0.0.1";
    private static final String UNTRUSTED_PEER = "127.0.0.2";
    private static final int MAX_FAILURES_PER_ADDRESS = 3;

    /** Trusts 127.0.0.1 as its proxy. */
    private static TestServer proxied;
    /** Trusts no proxy: the default. */
    private static TestServer direct;

    @BeforeAll
    static void start() {
        Map<String, String> throttle = Map.of(
                "login.maxFailuresPerAddress", Integer.toString(MAX_FAILURES_PER_ADDRESS),
                // Only the per-address limit is under test here.
                "login.maxFailuresPerUser", "1000",
                "auth.passwordHashCost", "4");
        Map<String, String> trusting = new LinkedHashMap<>(throttle);
        trusting.put("http.trustedProxies", TRUSTED_PEER + "/32, fd00::/8");
        proxied = TestServer.start(trusting);
        direct = TestServer.start(throttle);
        proxied.addUser(USER, PASSWORD);
        direct.addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        for (TestServer server : new TestServer[] {proxied, direct}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void twoClientsForwardedByATrustedProxyGetSeparateBuckets() throws IOException {
        for (int i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
            assertEquals(401, login(proxied, TRUSTED_PEER, "wrong", "X-Forwarded-For", "198.51.100.1"));
        }
        assertEquals(401, login(proxied, TRUSTED_PEER, PASSWORD, "X-Forwarded-For", "198.51.100.1"),
                "198.51.100.1 has used up its failures: refused even with the right password");
        assertEquals(200, login(proxied, TRUSTED_PEER, PASSWORD, "X-Forwarded-For", "198.51.100.2"),
                "another client behind the same proxy has a bucket of its own");
        assertEquals(200, login(proxied, TRUSTED_PEER, PASSWORD, "Forwarded", "for=198.51.100.3"),
                "Forwarded counts too");
        // A client that sends its own X-Forwarded-For to the proxy, which appends what it saw:
        // the right-most untrusted address (the real one) is counted, not the forged one.
        assertEquals(401, login(proxied, TRUSTED_PEER, PASSWORD, "X-Forwarded-For", "203.0.113.77, 198.51.100.1"));
    }

    @Test
    void anUntrustedPeersForwardedForIsIgnored() throws IOException {
        assertEquals(200, login(proxied, UNTRUSTED_PEER, PASSWORD, "X-Forwarded-For", "203.0.113.1"));
        for (int i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
            // A new forged address each time: if it were believed, no bucket would fill.
            assertEquals(401, login(proxied, UNTRUSTED_PEER, "wrong", "X-Forwarded-For", "203.0.113." + (10 + i)));
        }
        assertEquals(401, login(proxied, UNTRUSTED_PEER, PASSWORD, "X-Forwarded-For", "203.0.113.99"),
                "every failure was counted on the peer, 127.0.0.2, whatever it forwarded");
        assertEquals(401, login(proxied, UNTRUSTED_PEER, PASSWORD, "Forwarded", "for=203.0.113.98"));
        assertEquals(200, login(proxied, TRUSTED_PEER, PASSWORD, "X-Forwarded-For", "203.0.113.99"),
                "the same header from the trusted proxy is another client");
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() throws IOException {
        for (int i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
            assertEquals(401, login(direct, TRUSTED_PEER, "wrong", "X-Forwarded-For", "198.51.100." + (20 + i)));
        }
        assertEquals(401, login(direct, TRUSTED_PEER, PASSWORD, "X-Forwarded-For", "198.51.100.30"));
    }

    @Test
    void aTrustedProxysForwardedSchemeAndHostMakeTheOwnOrigin() throws IOException {
        String[] proxyHeaders = {"Origin", "https://notes.example.test", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "notes.example.test", "X-Forwarded-For", "198.51.100.50"};
        assertEquals(200, login(proxied, TRUSTED_PEER, PASSWORD, proxyHeaders),
                "https://notes.example.test is notesync's own origin as the trusted proxy tells it");
        assertEquals(403, login(proxied, UNTRUSTED_PEER, PASSWORD, proxyHeaders), "not from an untrusted peer");
        assertEquals(403, login(direct, TRUSTED_PEER, PASSWORD, proxyHeaders), "not without trusted proxies");
        assertEquals(403, login(proxied, TRUSTED_PEER, PASSWORD, "Origin", "https://notes.example.test",
                "X-Forwarded-For", "198.51.100.50"), "without the forwarded scheme and host it is another origin");
    }

    /** POST /auth/login over a socket bound to {@code localAddress}, with extra headers; the status. */
    private static int login(TestServer server, String localAddress, String password, String... headers) throws IOException {
        byte[] body = ("{\"username\":\"" + USER + "\",\"password\":\"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST /auth/login HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(server.port()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            if (parts.length < 2) {
                throw new IOException("no HTTP answer: '" + statusLine + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
