package io.notesync.cli;

import io.notesync.config.NotesyncConfig;
import io.notesync.store.EmbeddedMongo;
import io.notesync.store.MongoConnection;

import java.nio.file.Path;

/**
 * The database a command-line tool works on, found the way the server finds it: the configured
 * MongoDB; else the embedded store of a running server, through the loopback address it wrote into
 * the data directory; else the embedded store's file, opened here (no server is using it).
 */
final class StoreAccess implements AutoCloseable {

    /** The database cannot be reached; the message says what was tried. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private final MongoConnection connection;
    private final EmbeddedMongo embedded;
    private final String description;

    private StoreAccess(MongoConnection connection, EmbeddedMongo embedded, String description) {
        this.connection = connection;
        this.embedded = embedded;
        this.description = description;
    }

    static StoreAccess open(NotesyncConfig config) throws Unreachable {
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
        return new StoreAccess(connection, embedded, "the embedded store file in " + dataDir + " (no server was running)");
    }

    private static StoreAccess connect(String connectionString, NotesyncConfig.MongoDb config, String description,
                                       String failure) throws Unreachable {
        MongoConnection connection = new MongoConnection(connectionString, config);
        if (!connection.ping()) {
            connection.close();
            throw new Unreachable(failure);
        }
        return new StoreAccess(connection, null, description);
    }

    MongoConnection connection() {
        return connection;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        connection.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
