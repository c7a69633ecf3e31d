package io.notesync.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded store's backend: it reads files the stock backend wrote, and counts what its queries examine. */
class DurableH2BackendTest {

    @TempDir
    Path dir;

    private static <T> T withServer(H2Backend backend, java.util.function.Function<MongoCollection<Document>, T> work) {
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            return work.apply(client.getDatabase("notesync").getCollection("packets"));
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aFileWrittenByTheStockBackendIsReadWhole() {
        String file = dir.resolve("stock.mv.db").toString();
        withServer(new H2Backend(file), packets -> {
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                documents.add(new Document("_id", "u/" + i).append("user", "u"));
            }
            packets.insertMany(documents);
            return null;
        });
        long count = withServer(new DurableH2Backend(file), packets -> packets.countDocuments(Filters.eq("user", "u")));
        assertEquals(50, count);
    }

    @Test
    void anUnjournaledWriteIsCommittedByTheNextJournaledOne() {
        DurableH2Backend backend = new DurableH2Backend(dir.resolve("journal.mv.db").toString());
        withServer(backend, packets -> {
            long version = backend.getMvStore().getCurrentVersion();
            UserChanges.unjournaled(packets).insertOne(new Document("_id", "a"));
            assertEquals(version, backend.getMvStore().getCurrentVersion(), "committed without j");
            packets.withWriteConcern(com.mongodb.WriteConcern.W1.withJournal(true)).insertOne(new Document("_id", "b"));
            assertEquals(version + 1, backend.getMvStore().getCurrentVersion(), "one commit for both");
            return null;
        });
    }

    @Test
    void aFindByIdExaminesOneDocumentAndAFindByAnotherFieldExaminesThemAll() {
        DurableH2Backend backend = new DurableH2Backend(dir.resolve("count.mv.db").toString());
        withServer(backend, packets -> {
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                documents.add(new Document("_id", "u" + (i % 10) + "/" + i).append("user", "u" + (i % 10)));
            }
            packets.insertMany(documents);
            long before = backend.documentsExamined();
            assertEquals(1, packets.find(Filters.eq("_id", "u3/13")).into(new ArrayList<>()).size());
            assertEquals(1, backend.documentsExamined() - before);
            before = backend.documentsExamined();
            assertEquals(20, packets.find(Filters.eq("user", "u3")).into(new ArrayList<>()).size());
            assertEquals(200, backend.documentsExamined() - before);
            return null;
        });
    }
}
