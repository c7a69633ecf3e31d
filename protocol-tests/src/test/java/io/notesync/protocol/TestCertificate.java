package io.notesync.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at test time with
 * the JDK's keytool (always there with the JDK that runs the tests; no BouncyCastle, no openssl),
 * written as the PEM files {@code server.tls} takes: the certificate, and its key as PKCS#8. The
 * certificate is also the CA a client can trust.
 */
record TestCertificate(Path certFile, Path keyFile) {

    private static final char[] STORE_PASSWORD = "notesync-test".toCharArray();

    static TestCertificate generate(String keyAlgorithm) throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("notesync-tls-");
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "notesync", "-keyalg", keyAlgorithm,
                "-keysize", keyAlgorithm.equals("EC") ? "256" : "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        Certificate certificate = keyStore.getCertificate("notesync");
        PrivateKey key = (PrivateKey) keyStore.getKey("notesync", STORE_PASSWORD);
        Path certFile = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        // getEncoded() of a private key is its PKCS#8 form: "BEGIN PRIVATE KEY".
        Path keyFile = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Files.delete(store);
        return new TestCertificate(certFile, keyFile);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
