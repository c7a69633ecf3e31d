package io.notesync.protocol;

import io.notesync.config.ConfigException;
import io.notesync.config.ConfigLoader;
import io.notesync.config.NotesyncConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.tls with real certificates made at test time: PKCS#8 RSA and EC keys load; a key of another certificate is named. */
class TlsConfigTest {

    private static NotesyncConfig load(TestCertificate cert, TestCertificate key) {
        return ConfigLoader.load(null, Map.of(), Map.of(
                "auth.secret", TestServer.SECRET,
                "server.tls.certFile", cert.certFile().toString(),
                "server.tls.keyFile", key.keyFile().toString()));
    }

    @Test
    void rsaAndEcPkcs8KeysAreAccepted() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            TestCertificate certificate = TestCertificate.generate(algorithm);
            assertTrue(load(certificate, certificate).server().tls().enabled(), algorithm);
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedByName() throws Exception {
        TestCertificate one = TestCertificate.generate("EC");
        TestCertificate other = TestCertificate.generate("EC");
        ConfigException e = assertThrows(ConfigException.class, () -> load(one, other));
        assertTrue(e.getMessage().contains("'server.tls.keyFile'") && e.getMessage().contains("is not the private key"),
                e.getMessage());
    }
}
