package io.notesync.store;

import de.bwaldvogel.mongo.MongoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default store when no MongoDB URI is configured: mongo-java-server with a durable H2 file,
 * listening on loopback, reached through the same driver and wire protocol as a real MongoDB.
 * Its address is written next to the file so local tools can find the running store.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    public static final String FILE_NAME = "notesync.mv.db";
    public static final String ADDRESS_FILE = "embedded-mongodb.address";

    private final MongoServer server;
    private final DurableH2Backend backend;
    private final Path addressFile;
    private final String connectionString;

    private EmbeddedMongo(MongoServer server, DurableH2Backend backend, Path addressFile, String connectionString) {
        this.server = server;
        this.backend = backend;
        this.addressFile = addressFile;
        this.connectionString = connectionString;
    }

    public static EmbeddedMongo start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        DurableH2Backend backend = new DurableH2Backend(file.toString());
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        InetSocketAddress address = server.getLocalAddress();
        String connectionString = "mongodb://127.0.0.1:" + address.getPort();
        Path addressFile = dataDir.resolve(ADDRESS_FILE);
        try {
            Files.writeString(addressFile, connectionString + "\n");
        } catch (IOException e) {
            log.warn("could not write {}: {}", addressFile, e.getMessage());
        }
        log.info("using the EMBEDDED store (mongo-java-server, H2 file {}) on {}; set mongodb.uri for a real MongoDB",
                file, connectionString);
        return new EmbeddedMongo(server, backend, addressFile, connectionString);
    }

    /** The address a running embedded store wrote into {@code dataDir}, or null when there is none. */
    public static String advertisedAddress(Path dataDir) {
        Path addressFile = dataDir.resolve(ADDRESS_FILE);
        try {
            String address = Files.isRegularFile(addressFile) ? Files.readString(addressFile).trim() : "";
            return address.startsWith("mongodb://127.0.0.1:") ? address : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Documents the store's queries examined since it opened (see {@link DurableH2Backend}). */
    public long documentsExamined() {
        return backend.documentsExamined();
    }

    public String connectionString() {
        return connectionString;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            Files.deleteIfExists(addressFile);
        } catch (IOException e) {
            log.debug("could not remove {}", addressFile, e);
        }
        log.info("embedded store closed");
    }
}
