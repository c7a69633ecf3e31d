package io.notesync.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.notesync.http.OriginPolicy.Verdict.ALLOWED;
import static io.notesync.http.OriginPolicy.Verdict.NONE;
import static io.notesync.http.OriginPolicy.Verdict.REFUSED;
import static io.notesync.http.OriginPolicy.Verdict.SAME_ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OriginPolicyTest {

    private final OriginPolicy policy = new OriginPolicy(
            List.of("https://app.example.com", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"), null);

    @Test
    void noOriginIsJudgedByTokenAlone() {
        assertEquals(NONE, policy.judge(null, "http", "notes.example.com"));
    }

    @Test
    void theRequestsOwnSchemeAndHostIsSameOrigin() {
        assertEquals(SAME_ORIGIN, policy.judge("http://127.0.0.1:8080", "http", "127.0.0.1:8080"));
        assertEquals(SAME_ORIGIN, policy.judge("http://Notes.Example.com", "http", "notes.example.com:80"));
        assertEquals(REFUSED, policy.judge("http://127.0.0.1:8081", "http", "127.0.0.1:8080"));
    }

    @Test
    void configuredOriginsAreAllowedExactly() {
        assertEquals(ALLOWED, policy.judge("https://app.example.com", "http", "notes.example.com"));
        assertEquals(ALLOWED, policy.judge("https://app.example.com:443", "http", "notes.example.com"));
        assertEquals(ALLOWED, policy.judge("chrome-extension://abcdefghijklmnopabcdefghijklmnop", "http", "127.0.0.1:8080"));
        assertEquals(REFUSED, policy.judge("https://app.example.com.evil.test", "http", "notes.example.com"));
        assertEquals(REFUSED, policy.judge("http://app.example.com", "http", "notes.example.com"));
        assertEquals(REFUSED, policy.judge("chrome-extension://otherextension", "http", "127.0.0.1:8080"));
    }

    @Test
    void theNullOriginIsNeverAllowed() {
        assertEquals(REFUSED, policy.judge("null", "http", "notes.example.com"));
        assertEquals(REFUSED, new OriginPolicy(List.of(), null).judge("null", "http", null));
    }

    @Test
    void aConfiguredPublicUrlIsSameOriginBehindAProxy() {
        OriginPolicy proxied = new OriginPolicy(List.of(), "https://notes.example.com/");
        assertEquals(SAME_ORIGIN, proxied.judge("https://notes.example.com", "http", "10.0.0.5:8080"));
        assertEquals(REFUSED, proxied.judge("https://evil.example.com", "http", "10.0.0.5:8080"));
    }

    @Test
    void theOwnOriginFollowsTheScheme() {
        OriginPolicy policy = new OriginPolicy(List.of(), null);
        // notesync with server.tls, or behind a trusted proxy that says X-Forwarded-Proto: https
        assertEquals(SAME_ORIGIN, policy.judge("https://notes.example.com", "https", "notes.example.com"));
        assertEquals(SAME_ORIGIN, policy.judge("https://notes.example.com", "https", "notes.example.com:443"));
        assertEquals(REFUSED, policy.judge("http://notes.example.com", "https", "notes.example.com"));
        assertEquals(REFUSED, policy.judge("https://notes.example.com", "http", "notes.example.com"));
    }
}
