package io.notesync.store;

import io.notesync.config.NotesyncConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The one place that turns the {@code mongodb} and {@code storage} configuration into a
 * database connection, for {@code serve} ({@link #forServer}) and for the command-line tools
 * ({@link #forTool}) alike. Closing it closes the connection, then the embedded store if it
 * started one.
 */
public final class Stores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Stores.class);

    /** The database cannot be reached; the message says what was tried. */
    public static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private final MongoConnection connection;
    private final EmbeddedMongo embedded;
    private final String description;

    private Stores(MongoConnection connection, EmbeddedMongo embedded, String description) {
        this.connection = connection;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * The server's database: the configured MongoDB (not contacted yet: the server starts and
     * answers {@code storageUnavailable} while it is down), or the embedded store, started here on
     * the data directory and the configured port.
     */
    public static Stores forServer(NotesyncConfig config) {
        NotesyncConfig.MongoDb mongodb = config.mongodb();
        if (!mongodb.embedded()) {
            String where = MongoConnection.redact(mongodb.uri());
            MongoConnection connection = new MongoConnection(mongodb.uri(), mongodb);
            log.info("using MongoDB at {}, database {} ({})", where, connection.database().getName(),
                    MongoConnection.namesDatabase(mongodb.uri()) ? "named by mongodb.uri" : "mongodb.database");
            return new Stores(connection, null, "MongoDB at " + where);
        }
        EmbeddedMongo embedded = EmbeddedMongo.start(config.storage().dataDir(), config.storage().embeddedPort());
        try {
            MongoConnection connection = new MongoConnection(embedded.connectionString(), mongodb);
            log.info("embedded store: database {} (mongodb.database)", connection.database().getName());
            return new Stores(connection, embedded, "the embedded store in " + config.storage().dataDir());
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    /**
     * The database a command-line tool works on, found the way the server finds it: the configured
     * MongoDB; else the embedded store of a running server, through the loopback address it wrote
     * into the data directory; else the embedded store's file, opened here (no server is using it).
     */
    public static Stores forTool(NotesyncConfig config) throws Unreachable {
        NotesyncConfig.MongoDb mongodb = config.mongodb();
        if (!mongodb.embedded()) {
            String where = MongoConnection.redact(mongodb.uri());
            return connect(mongodb.uri(), mongodb, "MongoDB at " + where, "cannot reach MongoDB at " + where
                    + " within " + mongodb.timeoutMs() + " ms; is it running, and is mongodb.uri right?");
        }
        Path dataDir = config.storage().dataDir().toAbsolutePath().normalize();
        String address = EmbeddedMongo.advertisedAddress(dataDir);
        if (address != null) {
            // A running server answers at once on loopback; a stale file (after kill -9) must not stall us.
            NotesyncConfig.MongoDb probe = new NotesyncConfig.MongoDb(address, mongodb.database(), mongodb.writeConcern(),
                    Math.min(mongodb.timeoutMs(), 2000));
            try {
                return connect(address, probe, "the running server's embedded store (" + dataDir + ", " + address + ")", "");
            } catch (Unreachable stale) {
                // Nobody answers there: the server is gone and left its address file behind. Open the file instead.
            }
        }
        EmbeddedMongo embedded;
        try {
            embedded = EmbeddedMongo.start(dataDir, 0);
        } catch (RuntimeException e) {
            throw new Unreachable("no notesync server answers for the embedded store in " + dataDir
                    + (address == null ? "" : " (nothing listens at " + address + ")")
                    + ", and its file cannot be opened: " + e.getMessage()
                    + ". Start the server, or stop whatever holds the file, and try again.");
        }
        MongoConnection connection = new MongoConnection(embedded.connectionString(), mongodb);
        return new Stores(connection, embedded, "the embedded store file in " + dataDir + " (no server was running)");
    }

    private static Stores connect(String connectionString, NotesyncConfig.MongoDb config, String description,
                                       String failure) throws Unreachable {
        MongoConnection connection = new MongoConnection(connectionString, config);
        if (!connection.ping()) {
            connection.close();
            throw new Unreachable(failure);
        }
        return new Stores(connection, null, description);
    }

    /** The embedded store, when this started one (null for a configured MongoDB or a running server's store). */
    public EmbeddedMongo embedded() {
        return embedded;
    }

    public MongoConnection connection() {
        return connection;
    }

    /** Which database this is, for messages. */
    public String description() {
        return description + ", database " + connection.database().getName();
    }

    /** Closes the connection, then the embedded store if this started one. */
    @Override
    public void close() {
        connection.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
