package io.notesync.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code http.trustedProxies} and {@code server.tls}: parsed, and refused by name when unusable. */
class NetworkConfigTest {

    private static final String SECRET = "a-secret-that-is-long-enough-0123456789";

    @TempDir
    Path dir;

    private static NotesyncConfig load(Map<String, String> environment, String... settings) {
        Map<String, String> all = new HashMap<>();
        all.put("auth.secret", SECRET);
        for (int i = 0; i < settings.length; i += 2) {
            all.put(settings[i], settings[i + 1]);
        }
        return ConfigLoader.load(null, environment, all);
    }

    private static ConfigException refused(String... settings) {
        return assertThrows(ConfigException.class, () -> load(Map.of(), settings));
    }

    @Test
    void trustedProxiesDefaultToNone() {
        NotesyncConfig config = load(Map.of());
        assertEquals(List.of(), config.http().trustedProxies());
        assertFalse(config.server().tls().enabled());
    }

    @Test
    void trustedProxiesComeAsAListOrOneCommaSeparatedString() throws Exception {
        Path file = dir.resolve("notesync.yml");
        Files.writeString(file, "http:\n  trustedProxies:\n    - 10.0.0.0/8\n    - \"::1\"\n");
        assertEquals(List.of("10.0.0.0/8", "::1"),
                ConfigLoader.load(file, Map.of(), Map.of("auth.secret", SECRET)).http().trustedProxies());
        NotesyncConfig fromEnv = load(Map.of("NOTESYNC_TRUSTED_PROXIES", "127.0.0.1, fd00::/8"));
        assertEquals(List.of(AddressRange.parse("127.0.0.1"), AddressRange.parse("fd00::/8")),
                fromEnv.http().trustedProxyRanges());
    }

    @Test
    void aBadTrustedProxyIsNamed() {
        for (String bad : new String[] {"10.0.0.0/33", "proxy.internal", "10.0.0.1,300.0.0.1"}) {
            ConfigException e = refused("http.trustedProxies", bad);
            assertTrue(e.getMessage().contains("'http.trustedProxies'"), e.getMessage());
        }
        assertTrue(refused("http.trustedProxies", "10.0.0.0/33").getMessage().contains("10.0.0.0/33"));
    }

    @Test
    void tlsNeedsBothFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        ConfigException e = refused("server.tls.certFile", cert.toString());
        assertTrue(e.getMessage().contains("'server.tls.keyFile'"), e.getMessage());
        e = refused("server.tls.keyFile", cert.toString());
        assertTrue(e.getMessage().contains("'server.tls.certFile'"), e.getMessage());
    }

    @Test
    void aMissingOrUnreadableTlsFileIsNamed() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        ConfigException e = refused("server.tls.certFile", missing.toString(), "server.tls.keyFile", notPem.toString());
        assertTrue(e.getMessage().contains("'server.tls.certFile'") && e.getMessage().contains("does not exist"), e.getMessage());
        e = refused("server.tls.certFile", notPem.toString(), "server.tls.keyFile", notPem.toString());
        assertTrue(e.getMessage().contains("'server.tls.certFile'") && e.getMessage().contains("no PEM certificate"), e.getMessage());
        e = refused("server.tls.certFile", dir.toString(), "server.tls.keyFile", notPem.toString());
        assertTrue(e.getMessage().contains("'server.tls.certFile'"), e.getMessage());
    }

    @Test
    void environmentVariablesSetTheTlsFiles() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(
                "NOTESYNC_TLS_CERT_FILE", dir.resolve("c.pem").toString(),
                "NOTESYNC_TLS_KEY_FILE", dir.resolve("k.pem").toString())));
        assertTrue(e.getMessage().contains("c.pem"), e.getMessage());
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithTheConversion() throws Exception {
        String body = "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n";
        assertKeyRefused("-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n", "openssl pkcs8 -topk8");
        assertKeyRefused("-----BEGIN EC PRIVATE KEY-----\n" + body + "-----END EC PRIVATE KEY-----\n", "openssl pkcs8 -topk8");
        assertKeyRefused("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted");
        assertKeyRefused("-----BEGIN PRIVATE KEY-----\n" + body + "-----END PRIVATE KEY-----\n", "not a readable PKCS#8");
        assertKeyRefused("no key here", "no PEM private key");
    }

    private void assertKeyRefused(String keyPem, String expected) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), keyPem);
        ConfigException e = assertThrows(ConfigException.class, () -> TlsFiles.privateKey(key.toString()));
        assertTrue(e.getMessage().contains("'server.tls.keyFile'") && e.getMessage().contains(expected), e.getMessage());
    }
}
