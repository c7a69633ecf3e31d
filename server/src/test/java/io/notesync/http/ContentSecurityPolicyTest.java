package io.notesync.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentSecurityPolicyTest {

    private static String connectSrc(String policy) {
        for (String directive : policy.split(";")) {
            if (directive.trim().startsWith("connect-src ")) {
                return directive.trim();
            }
        }
        throw new AssertionError("no connect-src in " + policy);
    }

    @Test
    void scriptsAndEverythingElseComeFromTheOwnOriginOnly() {
        String policy = new ContentSecurityPolicy(null).forRequest("localhost:8080", false);
        for (String directive : new String[] {"default-src 'self'", "script-src 'self'", "object-src 'none'",
                "base-uri 'none'", "frame-ancestors 'none'"}) {
            assertTrue(policy.contains(directive + ";") || policy.endsWith(directive), directive + " in " + policy);
        }
    }

    @Test
    void connectSrcIsTheRequestsHostAndItsWebSocketForm() {
        ContentSecurityPolicy csp = new ContentSecurityPolicy(null);
        assertEquals("connect-src 'self' ws://localhost:8080 wss://localhost:8080", connectSrc(csp.forRequest("localhost:8080", false)));
        assertEquals("connect-src 'self' wss://notes.example.com", connectSrc(csp.forRequest("Notes.Example.com", true)));
        assertEquals("connect-src 'self' ws://[::1]:8080 wss://[::1]:8080", connectSrc(csp.forRequest("[::1]:8080", false)));
    }

    @Test
    void theConfiguredPublicUrlWinsOverTheHostHeader() {
        ContentSecurityPolicy csp = new ContentSecurityPolicy("https://notes.example.com/");
        assertEquals("connect-src 'self' https://notes.example.com wss://notes.example.com",
                connectSrc(csp.forRequest("evil.example", false)));
        assertEquals("connect-src 'self' http://10.0.0.5:8080 ws://10.0.0.5:8080",
                connectSrc(new ContentSecurityPolicy("http://10.0.0.5:8080").forRequest(null, false)));
    }

    @Test
    void aHostHeaderThatIsNotAPlainHostAddsNothing() {
        ContentSecurityPolicy csp = new ContentSecurityPolicy(null);
        for (String host : new String[] {"x; script-src *", "a b", "evil.example/path", "", "x:80:80", "*"}) {
            String policy = csp.forRequest(host, false);
            assertEquals("connect-src 'self'", connectSrc(policy), host);
            assertEquals(1, policy.split("script-src").length - 1, host);
        }
        assertEquals("connect-src 'self'", connectSrc(csp.forRequest(null, false)));
    }
}
