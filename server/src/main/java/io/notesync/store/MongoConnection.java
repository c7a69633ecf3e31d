package io.notesync.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.notesync.config.NotesyncConfig;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** One MongoDB client for the configured database, shared by every repository. */
public final class MongoConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MongoConnection.class);

    private final MongoClient client;
    private final MongoDatabase database;

    public MongoConnection(String connectionString, NotesyncConfig.MongoDb config) {
        int timeout = (int) config.timeoutMs();
        ConnectionString parsed = new ConnectionString(connectionString);
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(parsed)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS))
                .writeConcern(writeConcern(config.writeConcern()).withJournal(true))
                .applicationName("notesync")
                .build();
        this.client = MongoClients.create(settings);
        this.database = client.getDatabase(databaseName(parsed, config.database()));
    }

    /**
     * The database notesync stores in: the one the connection string names
     * ({@code mongodb://host/notesync_prod}), as MongoDB's connection-string documentation and Spring
     * Boot have it; {@code configured} ({@code mongodb.database}) only when the string names none.
     */
    static String databaseName(ConnectionString connectionString, String configured) {
        String named = connectionString.getDatabase();
        return named == null || named.isEmpty() ? configured : named;
    }

    /** True when the connection string names the database itself. */
    static boolean namesDatabase(String connectionString) {
        String named = new ConnectionString(connectionString).getDatabase();
        return named != null && !named.isEmpty();
    }

    private static WriteConcern writeConcern(String name) {
        return "majority".equals(name) ? WriteConcern.MAJORITY : new WriteConcern(Integer.parseInt(name));
    }

    /** Connection strings may carry a password; logs and messages get the host part only. */
    public static String redact(String connectionString) {
        return connectionString.replaceAll("//[^@/]*@", "//***@");
    }

    public MongoDatabase database() {
        return database;
    }

    /** True when the database answers a ping. */
    public boolean ping() {
        try {
            database.runCommand(new Document("ping", 1));
            return true;
        } catch (MongoException e) {
            log.debug("database ping failed: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
