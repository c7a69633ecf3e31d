package io.notesync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.notesync.config.NotesyncConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection string names the database; {@code mongodb.database} applies only when it names none. */
class MongoConnectionTest {

    private static NotesyncConfig.MongoDb config(String uri) {
        return new NotesyncConfig.MongoDb(uri, "notesync", "1", 15_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mongodb://db.example/notesync_prod | notesync_prod",
            "mongodb://user:secret@db1:27017,db2:27017/notesync_prod?replicaSet=rs0 | notesync_prod",
            "mongodb+srv://cluster0.example.net/notesync_prod?retryWrites=true | notesync_prod",
            "mongodb://db.example | notesync",
            "mongodb://db.example/ | notesync",
            "mongodb://db1,db2,db3/?replicaSet=rs0 | notesync",
    })
    void theDatabaseIsTheOneTheUriNamesElseTheConfiguredOne(String uri, String database) {
        try (MongoConnection connection = new MongoConnection(uri, config(uri))) {
            assertEquals(database, connection.database().getName());
        }
        assertEquals(!database.equals("notesync"), MongoConnection.namesDatabase(uri));
    }

    @Test
    void documentsGoToTheDatabaseTheUriNames(@TempDir Path dataDir) {
        try (EmbeddedMongo embedded = EmbeddedMongo.start(dataDir, 0)) {
            String uri = embedded.connectionString() + "/notesync_prod";
            try (MongoConnection connection = new MongoConnection(uri, config(uri))) {
                connection.database().getCollection("probe").insertOne(new Document("_id", "one"));
            }
            try (MongoClient plain = MongoClients.create(embedded.connectionString())) {
                List<String> databases = plain.listDatabaseNames().into(new ArrayList<>());
                assertTrue(databases.contains("notesync_prod"), databases.toString());
                assertFalse(databases.contains("notesync"), databases.toString());
                assertEquals(1, plain.getDatabase("notesync_prod").getCollection("probe").countDocuments());
            }
        }
    }
}
