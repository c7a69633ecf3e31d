package io.notesync.protocol;

import io.notesync.auth.SigningKeys;
import io.notesync.auth.TokenIssuer;
import io.notesync.config.ConfigLoader;
import io.notesync.config.NotesyncConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * notesync in a child JVM, started with the real command line ({@code notesync serve}), so tests
 * can kill it with SIGKILL or SIGTERM and start it again on the same data directory and port.
 */
final class ServerProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Path log;
    private final String name;
    private final Map<String, String> settings;
    private final List<String> jvmOptions;
    private Process process;

    ServerProcess(Path dataDir) {
        this(dataDir, Map.of());
    }

    /** @param settings extra config keys, as {@code --set} takes them (e.g. a shared mongodb.uri) */
    ServerProcess(Path dataDir, Map<String, String> settings) {
        this(dataDir, settings, List.of());
    }

    /** @param jvmOptions options for the server's JVM, e.g. {@link #launcherJvmOptions()} */
    ServerProcess(Path dataDir, Map<String, String> settings, List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.dataDir = dataDir;
        this.settings = Map.copyOf(settings);
        this.port = freePort();
        this.name = ServerLogs.newName();
        this.log = ServerLogs.file(name);
    }

    ServerProcess start() {
        launch();
        // Seconds when idle; a loaded 2-core machine has taken over 30 s to open the store and the port.
        awaitHealthy(Duration.ofSeconds(120));
        return this;
    }

    /** Launches without waiting: the caller watches it start (and may kill it first). */
    ServerProcess launchOnly() {
        launch();
        return this;
    }

    /** After {@link #launchOnly}: waits until it answers /health. */
    ServerProcess awaitStarted() {
        awaitHealthy(Duration.ofSeconds(120));
        return this;
    }

    /** For a server that must refuse to start: its exit code, once it has exited (its output is in {@link #log()}). */
    int startExpectingExit(Duration timeout) throws InterruptedException {
        launch();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                // The server's own logging (to its output, which goes to the log file), not the tests' files.
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"),
                "io.notesync.cli.Main", "serve"));
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.put("server.port", Integer.toString(port));
        TestServer.baseSettings(dataDir, all)
                .forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerLogs.running(name);
    }

    int port() {
        return port;
    }

    /**
     * The JVM options {@code bin/notesync} starts the server with (its {@code defaults=} line), so a
     * test measures memory under the limits users run with.
     */
    static List<String> launcherJvmOptions() {
        try {
            String script = java.nio.file.Files.readString(Path.of("..", "bin", "notesync"));
            java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("(?s)\\ndefaults=\"(.*?)\"").matcher(script);
            if (!defaults.find()) {
                throw new AssertionError("bin/notesync has no defaults=\"...\" line");
            }
            return List.of(defaults.group(1).replace("\\\n", " ").trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    /** An access token this server accepts: child servers share the test secret and defaults. */
    String token(String username) {
        NotesyncConfig.Auth auth = ConfigLoader.load(null, Map.of(),
                TestServer.baseSettings(dataDir, Map.of())).auth();
        return new TokenIssuer(auth, SigningKeys.from(auth), Clock.systemUTC()).issue(username, Duration.ofMinutes(15));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(URI.create(url() + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(100);
        }
        throw new AssertionError("the server was not healthy within " + timeout + "; see " + log);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback port free at this moment. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ServerLogs.stopped(name);
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
