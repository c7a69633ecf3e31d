package io.notesync.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM certificate chain and private key of {@code server.tls}, read with the JDK alone, so a
 * bad file stops the server at start naming its key. The key must be PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}: RSA, EC or Ed25519, unencrypted); a PKCS#1 or SEC1 key
 * ({@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}) is refused with the command that
 * converts it, since reading those would need BouncyCastle.
 */
public record TlsFiles(List<X509Certificate> chain, PrivateKey key) {

    public static final String CERT_KEY = "server.tls.certFile";
    public static final String KEY_KEY = "server.tls.keyFile";
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    public TlsFiles {
        chain = List.copyOf(chain);
    }

    /** @throws ConfigException naming {@code server.tls.certFile} or {@code server.tls.keyFile} */
    public static TlsFiles load(NotesyncConfig.Tls tls) {
        if (tls.certFile() == null || tls.keyFile() == null) {
            String missing = tls.certFile() == null ? CERT_KEY : KEY_KEY;
            throw problem(missing, "must be set too: TLS needs both server.tls.certFile and server.tls.keyFile");
        }
        List<X509Certificate> chain = certificates(tls.certFile());
        PrivateKey key = privateKey(tls.keyFile());
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw problem(KEY_KEY, "(" + tls.keyFile() + ") is not the private key of the first certificate in "
                    + tls.certFile());
        }
        return new TlsFiles(chain, key);
    }

    private static List<X509Certificate> certificates(String file) {
        String pem = read(CERT_KEY, file);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw problem(CERT_KEY, "(" + file + ") holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw problem(CERT_KEY, "(" + file + ") holds no certificate");
            }
            return chain;
        } catch (CertificateException e) {
            throw problem(CERT_KEY, "(" + file + ") is not a readable PEM certificate chain: " + e.getMessage());
        }
    }

    static PrivateKey privateKey(String file) {
        String pem = read(KEY_KEY, file);
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            String type = block.group(1);
            if (type.equals("PRIVATE KEY")) {
                return pkcs8(file, Base64.getMimeDecoder().decode(block.group(2)));
            }
            if (type.equals("ENCRYPTED PRIVATE KEY")) {
                throw problem(KEY_KEY, "(" + file + ") is encrypted; give an unencrypted PKCS#8 key "
                        + "(openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem) and protect the file instead");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw problem(KEY_KEY, "(" + file + ") is a '" + type + "' (PKCS#1/SEC1); notesync reads PKCS#8: "
                        + "convert it with openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
            }
        }
        throw problem(KEY_KEY, "(" + file + ") holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(String file, byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw problem(KEY_KEY, "(" + file + ") is not a readable PKCS#8 RSA, EC or Ed25519 private key");
    }

    /** Signs a few bytes with the key and checks them with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "notesync tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String read(String key, String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw problem(key, "names " + file + ", which does not exist or is not a file");
        }
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw problem(key, "names " + file + ", which cannot be read: " + e.getMessage());
        }
    }

    private static ConfigException problem(String key, String problem) {
        return new ConfigException("config key '" + key + "' " + problem);
    }
}
