package io.notesync;

import com.corundumstudio.socketio.Transport;
import io.notesync.account.Accounts;
import io.notesync.auth.Login;
import io.notesync.auth.Revocations;
import io.notesync.logging.LogText;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.store.MongoRevocationRepository;
import io.notesync.auth.LoginThrottle;
import io.notesync.auth.PasswordHasher;
import io.notesync.auth.PasswordPolicy;
import io.notesync.auth.RefreshTokens;
import io.notesync.auth.SigningKeys;
import io.notesync.auth.TokenIssuer;
import io.notesync.auth.TokenVerifier;
import io.notesync.auth.UserAccounts;
import io.notesync.auth.UserRepository;
import io.notesync.cluster.RedisFanout;
import io.notesync.config.ExposureCheck;
import io.notesync.config.NotesyncConfig;
import io.notesync.http.AccountRoutes;
import io.notesync.http.AuthRoutes;
import io.notesync.http.BearerAuth;
import io.notesync.http.ContentSecurityPolicy;
import io.notesync.http.HealthRoutes;
import io.notesync.http.MetricsRoutes;
import io.notesync.http.NoteRoutes;
import io.notesync.http.RefreshCookie;
import io.notesync.http.Routes;
import io.notesync.http.VideoRoutes;
import io.notesync.notes.PacketLimits;
import io.notesync.http.ForwardedHeaders;
import io.notesync.http.HttpApi;
import io.notesync.http.OriginGate;
import io.notesync.http.OriginPolicy;
import io.notesync.http.StaticFiles;
import io.notesync.metrics.NotesyncMetrics;
import io.notesync.engine.PipelineHandler;
import io.notesync.engine.SocketEngine;
import io.notesync.socket.SocketServer;
import io.notesync.store.MongoConnection;
import io.notesync.store.MongoNoteRepository;
import io.notesync.store.EmbeddedMongo;
import io.notesync.store.LayoutMigration;
import io.notesync.store.MongoRefreshTokenRepository;
import io.notesync.store.MongoUserRepository;
import io.notesync.store.Stores;
import io.notesync.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Builds every part with plain constructors, starts them in dependency order and stops them in
 * reverse. The only place that knows how the parts fit together.
 */
public final class NotesyncServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotesyncServer.class);
    /** How often each node reads the store's revocation mark. */
    private static final Duration REVOCATION_POLL = Duration.ofSeconds(1);

    /** Everything to close, in the order to close it. */
    private final List<AutoCloseable> parts;
    private final SocketServer sockets;
    private final UserAccounts users;

    private NotesyncServer(List<AutoCloseable> parts, SocketServer sockets, UserAccounts users) {
        this.parts = parts;
        this.sockets = sockets;
        this.users = users;
    }

    public static NotesyncServer start(NotesyncConfig config) {
        ExposureCheck.requireSafeToListen(config);
        Clock clock = Clock.systemUTC();
        // Built in start order; closed in reverse.
        List<AutoCloseable> started = new ArrayList<>();
        NotesyncMetrics metrics = new NotesyncMetrics();
        started.add(metrics);
        try {
            Stores stores = Stores.forServer(config);
            started.add(stores);
            MongoConnection mongo = stores.connection();
            if (stores.embedded() != null) {
                metrics.storeDocumentsExamined(stores.embedded(), EmbeddedMongo::documentsExamined);
            }
            // Before anything listens: the server answers only on the current layout.
            LayoutMigration.ensure(mongo.database(), config.mongodb().timeoutMs(), stores.embedded() != null);
            MongoNoteRepository repository = new MongoNoteRepository(mongo, config.mongodb(), config.writer());
            started.add(repository);
            UserRepository userRepository = new MongoUserRepository(mongo.database());
            PasswordHasher hasher = new PasswordHasher(config.auth().passwordHashCost());

            NotesyncConfig.Auth auth = config.auth();
            SigningKeys keys = SigningKeys.from(auth);
            Revocations revocations = new Revocations(new MongoRevocationRepository(mongo.database()), clock);
            try {
                revocations.poll();
            } catch (StorageUnavailableException e) {
                log.warn("revocations not read yet ({}); retried every second", e.getMessage());
            }
            TokenVerifier verifier = new TokenVerifier(auth, keys, clock, revocations);
            MongoRefreshTokenRepository refreshTokenStore = new MongoRefreshTokenRepository(mongo.database());
            PasswordPolicy passwordPolicy = new PasswordPolicy(auth.minPasswordLength());
            UserAccounts userAccounts = new UserAccounts(userRepository, hasher, passwordPolicy, clock);
            Accounts accounts = new Accounts(userAccounts, userRepository, hasher, revocations, refreshTokenStore,
                    repository, clock);
            Login login = null;
            RefreshTokens refreshTokens = null;
            TokenIssuer issuer = null;
            LoginThrottle throttle = null;
            if (keys.canSign()) {
                issuer = new TokenIssuer(auth, keys, clock);
                throttle = new LoginThrottle(config.login().maxFailuresPerUser(), config.login().maxFailuresPerAddress(),
                        Duration.ofSeconds(config.login().windowSeconds()), clock);
                login = new Login(userRepository, hasher, throttle);
                refreshTokens = new RefreshTokens(refreshTokenStore, userRepository,
                        Duration.ofSeconds(auth.refreshTokenTtlSeconds()), Duration.ofSeconds(auth.refreshReuseGraceSeconds()),
                        clock);
            } else {
                log.info("auth.algorithm {}: verifying tokens only; login, refresh and logout are disabled", auth.algorithm());
            }

            ThreadPoolExecutor blocking = boundedPool("http-blocking", 8, 1024);
            started.add(() -> {
                blocking.shutdown();
                blocking.awaitTermination(5, TimeUnit.SECONDS);
            });
            if (refreshTokens != null) {
                ScheduledExecutorService sweeper = sweepExpired(refreshTokens, throttle, auth.refreshCleanupIntervalSeconds());
                started.add(sweeper::shutdownNow);
            }

            ScheduledExecutorService accountTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("revocations"));
            started.add(accountTimer::shutdownNow);
            // How a revocation made by the CLI or another node reaches this node's sockets: one read
            // by _id a second, with or without Redis (docs/protocol.md "Accounts": within 2 s).
            accountTimer.scheduleWithFixedDelay(() -> pollRevocations(revocations), REVOCATION_POLL.toMillis(),
                    REVOCATION_POLL.toMillis(), TimeUnit.MILLISECONDS);
            // A packet that passed its token check just before an account's removal is stored or
            // refused within mongodb.timeoutMs: then what it left is removed too.
            Duration leftoverDelay = config.mongodb().timeout().plus(REVOCATION_POLL.multipliedBy(2));
            java.util.function.Consumer<String> afterRemoval = username -> accountTimer.schedule(() -> {
                try {
                    long removed = accounts.removeLeftovers(username);
                    if (removed > 0) {
                        log.info("removed {} notes of the removed user {} stored while the removal ran", removed,
                                LogText.of(username));
                    }
                } catch (RuntimeException e) {
                    log.warn("could not sweep the notes of a removed user: {}", LogText.of(e.getMessage()));
                }
            }, leftoverDelay.toMillis(), TimeUnit.MILLISECONDS);

            RedisFanout fanout = null;
            if (config.cluster().enabled()) {
                fanout = RedisFanout.start(config.cluster().redis().uri(), SocketEngine.broadcastClasses());
                started.add(fanout);
                metrics.cluster(fanout, f -> f.connected() ? 1 : 0, RedisFanout::lostBroadcasts);
            }

            // Who a request is from (login throttle, logs) and which origin it was addressed to:
            // the TCP peer, or the forwarded headers when that peer is a trusted proxy.
            ForwardedHeaders forwarded = new ForwardedHeaders(config.http().trustedProxyRanges(),
                    config.server().tls().enabled());
            NotesyncConfig.Limits limits = config.limits();
            PacketLimits packetLimits = new PacketLimits(limits.maxNotesPerPacket(), limits.maxNoteChars(),
                    limits.maxTimestampSeconds());
            SocketServer sockets = new SocketServer(config, verifier, repository, packetLimits, metrics, clock, fanout,
                    handshake -> forwarded.resolve(handshake.getAddress(), handshake.getHttpHeaders()).clientAddress());

            BearerAuth bearer = new BearerAuth(verifier);
            Duration accessTokenLifetime = Duration.ofSeconds(auth.accessTokenTtlSeconds());
            RefreshCookie refreshCookie = new RefreshCookie(config.cookie());
            Routes routes = Routes.of(
                    new HealthRoutes(repository, fanout == null ? null : fanout::connected),
                    // An edit or a delete made over HTTP is announced on every socket of its user.
                    new NoteRoutes(bearer, repository, packetLimits, sockets::toEverySocket, clock),
                    new VideoRoutes(bearer, repository),
                    new AccountRoutes(bearer, accounts, login, passwordPolicy, refreshTokens, issuer,
                            accessTokenLifetime, refreshCookie, metrics, afterRemoval, clock),
                    new AuthRoutes(login, refreshTokens, issuer, accessTokenLifetime, refreshCookie, metrics),
                    new MetricsRoutes(config.metrics().token(), metrics));
            OriginGate origins = new OriginGate(new OriginPolicy(config.http().allowedOrigins(), config.http().publicUrl()),
                    forwarded, SocketEngine.PATH);
            // The static files sit behind the gate, so an allowed origin's module import (the app
            // on another origin loads the client bundle) gets its CORS headers, and ahead of
            // netty-socketio, which would take /socket.io/socket.io.js as a polling request.
            List<PipelineHandler> httpHandlers = List.of(
                    new PipelineHandler(OriginGate.NAME, origins),
                    new PipelineHandler(StaticFiles.NAME, new StaticFiles(new ContentSecurityPolicy(config.http().publicUrl()))),
                    new PipelineHandler(HttpApi.NAME, new HttpApi(SocketEngine.PATH, routes, blocking, forwarded,
                            config.mongodb().timeoutMs())));
            for (Transport transport : Transport.values()) {
                metrics.connections(transport.getValue(), sockets, all -> all.socketsOn(transport));
            }
            metrics.outputHeld(sockets.outputBudget(), budget -> budget.held(), budget -> budget.total(),
                    budget -> budget.slowConsumersCutOff(), budget -> budget.cutOffOverBudget());
            revocations.onRevoked(sockets::revoke);
            sockets.start(httpHandlers);
            started.add(sockets);
            return new NotesyncServer(started, sockets, userAccounts);
        } catch (RuntimeException e) {
            closeInReverse(started);
            throw e;
        }
    }

    /** A store that does not answer is retried at the next tick (at DEBUG: /health already says it). */
    private static void pollRevocations(Revocations revocations) {
        try {
            revocations.poll();
        } catch (StorageUnavailableException e) {
            log.debug("revocations not read: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("reading revocations failed: {}", e.toString());
        }
    }

    /** Deletes expired refresh tokens (no TTL index does it: the embedded store has none) and old login counts. */
    private static ScheduledExecutorService sweepExpired(RefreshTokens refreshTokens, LoginThrottle throttle, long intervalSeconds) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("auth-sweeper"));
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                long deleted = refreshTokens.sweep();
                if (deleted > 0) {
                    log.info("deleted {} expired refresh tokens", deleted);
                }
                throttle.sweep();
            } catch (RuntimeException e) {
                log.warn("could not delete expired refresh tokens: {}", e.getMessage());
            }
        }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        return sweeper;
    }

    public int port() {
        return sockets.port();
    }

    /** notesync's own users in this server's database (what {@code notesync user} manages); for tests and tools. */
    public UserAccounts users() {
        return users;
    }

    /**
     * Graceful shutdown, the reverse of the start: the sockets drain (new sockets and packets are
     * refused as retryable, every packet received is answered, sockets are disconnected so clients
     * reconnect), Netty stops, the writer finishes what is queued, then the store closes.
     */
    @Override
    public void close() {
        log.info("shutting down");
        closeInReverse(parts);
        log.info("stopped");
    }

    private static void closeInReverse(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", parts.get(i), e.toString());
            }
        }
    }

    private static ThreadPoolExecutor boundedPool(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                DaemonThreads.numbered(name));
    }
}
