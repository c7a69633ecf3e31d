package io.notesync.cli;

import io.notesync.NotesyncServer;
import io.notesync.config.ConfigException;
import io.notesync.config.NotesyncConfig;
import io.notesync.logging.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code notesync serve}: runs the server until SIGTERM or SIGINT, then shuts down gracefully and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the server.",
                "With no mongodb.uri it runs an embedded MongoDB-protocol store in storage.dataDir."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by a signal", "2:the configuration is invalid or unsafe", "1:the server failed to start"})
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws InterruptedException {
        NotesyncConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            System.err.println("notesync: invalid configuration: " + e.getMessage());
            return 2;
        }
        // Before anything logs: every line of this process in the chosen format.
        LogFormat.named(config.logging().format()).apply();
        NotesyncServer server;
        try {
            server = NotesyncServer.start(config);
        } catch (ConfigException e) {
            // Valid, but not safe to start as set (a public secret on a network address).
            System.err.println("notesync: cannot start: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            log.error("notesync could not start: {}", e.getMessage(), e);
            return 1;
        }
        // Handling the signals ourselves (rather than in a shutdown hook) lets a stop by SIGTERM
        // finish the graceful shutdown and exit 0, which service managers read as a clean stop.
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received: shutting down", signal.getName());
                stopRequested.countDown();
            });
        }
        stopRequested.await();
        server.close();
        return 0;
    }
}
