package io.notesync.cli;

import io.notesync.NotesyncServer;
import io.notesync.config.ConfigException;
import io.notesync.config.NotesyncConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code notesync serve}: runs the server until SIGTERM or SIGINT, then shuts down in order. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the server.",
                "With no mongodb.uri it runs an embedded MongoDB-protocol store in storage.dataDir."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by a signal", "2:the configuration is invalid", "1:the server failed to start"})
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
        NotesyncServer server;
        try {
            server = NotesyncServer.start(config);
        } catch (RuntimeException e) {
            log.error("notesync could not start: {}", e.getMessage(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
