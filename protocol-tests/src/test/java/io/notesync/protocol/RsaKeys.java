package io.notesync.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** A fresh RSA key pair in PEM files: the public one for an RS256 server, the private one for tests to sign with. */
record RsaKeys(Path publicKeyFile, Path privateKeyFile) {

    static RsaKeys generate() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path dir = Files.createTempDirectory("notesync-rsa-");
        Path publicKey = dir.resolve("public.pem");
        Path privateKey = dir.resolve("private.pem");
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        return new RsaKeys(publicKey, privateKey);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
