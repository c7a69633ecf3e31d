package io.notesync;

import io.notesync.auth.SigningKeys;
import io.notesync.auth.TokenVerifier;
import io.notesync.cluster.ClusterStoreFactory;
import io.notesync.cluster.RedisFanout;
import io.notesync.config.NotesyncConfig;
import io.notesync.http.HttpApi;
import io.notesync.metrics.NotesyncMetrics;
import io.notesync.socket.SocketServer;
import io.notesync.store.EmbeddedMongo;
import io.notesync.store.MongoNoteRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds every part with plain constructors, starts them in dependency order and stops them in
 * reverse. The only place that knows how the parts fit together.
 */
public final class NotesyncServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotesyncServer.class);

    private final EmbeddedMongo embedded;
    private final RedisFanout fanout;
    private final MongoNoteRepository repository;
    private final ThreadPoolExecutor blocking;
    private final SocketServer sockets;
    private final NotesyncMetrics metrics;
    private final Duration shutdownTimeout;

    private NotesyncServer(EmbeddedMongo embedded, RedisFanout fanout, MongoNoteRepository repository,
                           ThreadPoolExecutor blocking, SocketServer sockets, NotesyncMetrics metrics,
                           Duration shutdownTimeout) {
        this.embedded = embedded;
        this.fanout = fanout;
        this.repository = repository;
        this.blocking = blocking;
        this.sockets = sockets;
        this.metrics = metrics;
        this.shutdownTimeout = shutdownTimeout;
    }

    public static NotesyncServer start(NotesyncConfig config) {
        Clock clock = Clock.systemUTC();
        EmbeddedMongo embedded = null;
        MongoNoteRepository repository = null;
        ThreadPoolExecutor blocking = null;
        RedisFanout fanout = null;
        NotesyncMetrics metrics = new NotesyncMetrics();
        try {
            String connectionString = config.mongodb().uri();
            if (config.mongodb().embedded()) {
                embedded = EmbeddedMongo.start(config.storage().dataDir(), config.storage().embeddedPort());
                connectionString = embedded.connectionString();
            } else {
                log.info("using MongoDB at {}", redact(connectionString));
            }
            repository = new MongoNoteRepository(connectionString, config.mongodb(), config.writer());

            TokenVerifier verifier = new TokenVerifier(config.auth(), SigningKeys.from(config.auth()), clock);
            blocking = boundedPool("http-blocking", 8, 1024);
            ClusterStoreFactory storeFactory = null;
            if (config.cluster().enabled()) {
                fanout = RedisFanout.start(config.cluster().redis().uri());
                storeFactory = new ClusterStoreFactory(fanout);
                metrics.cluster(fanout, f -> f.connected() ? 1 : 0, RedisFanout::lostBroadcasts);
            }
            HttpApi http = new HttpApi(SocketServer.SOCKET_IO_PATH, verifier, repository, metrics, blocking,
                    fanout == null ? null : fanout::connected);
            SocketServer sockets = new SocketServer(config, verifier, repository, HttpApi.NAME, http, metrics, clock,
                    storeFactory);
            sockets.start();
            return new NotesyncServer(embedded, fanout, repository, blocking, sockets, metrics,
                    config.server().shutdownTimeout());
        } catch (RuntimeException e) {
            if (blocking != null) {
                blocking.shutdownNow();
            }
            if (fanout != null) {
                fanout.close();
            }
            if (repository != null) {
                repository.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            metrics.close();
            throw e;
        }
    }

    public int port() {
        return sockets.port();
    }

    /**
     * Graceful shutdown: refuses new sockets and packets (retryable), waits until every packet
     * received is answered (at most server.shutdownTimeoutMs), disconnects the sockets so clients
     * reconnect, stops Netty, lets the writer finish, then closes the store.
     */
    @Override
    public void close() {
        log.info("shutting down");
        try {
            sockets.drain(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sockets.close();
        if (fanout != null) {
            fanout.close();
        }
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        repository.close();
        if (embedded != null) {
            embedded.close();
        }
        metrics.close();
        log.info("stopped");
    }

    private static ThreadPoolExecutor boundedPool(String name, int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Connection strings may carry a password; logs get the host part only. */
    static String redact(String connectionString) {
        return connectionString.replaceAll("//[^@/]*@", "//***@");
    }
}
