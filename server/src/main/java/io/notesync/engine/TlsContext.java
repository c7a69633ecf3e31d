package io.notesync.engine;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.notesync.config.ConfigException;
import io.notesync.config.TlsFiles;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;

/** netty's server SslContext from the PEM files of {@code server.tls}, and a line for the start log. */
record TlsContext(SslContext context, String description) {

    static TlsContext of(TlsFiles files) {
        X509Certificate leaf = files.chain().get(0);
        try {
            // The JDK's TLS: no native library to ship, and TLS 1.2/1.3 with the JDK's defaults.
            SslContext context = SslContextBuilder.forServer(files.key(), files.chain().toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .build();
            return new TlsContext(context, "certificate " + leaf.getSubjectX500Principal().getName()
                    + ", valid until " + leaf.getNotAfter().toInstant());
        } catch (SSLException e) {
            throw new ConfigException("config key '" + TlsFiles.KEY_KEY + "' and '" + TlsFiles.CERT_KEY
                    + "' cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
