package io.notesync.protocol;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.sift.AbstractDiscriminator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Where the servers that tests start write their logs: one file per server under
 * {@code target/server-logs/}, named after the test class that started it, so that the console
 * shows test names, counts and failures, and a failure can show the end of its server's log.
 *
 * <p>An in-process server runs in a thread group of its own; every thread it creates belongs to
 * it, and {@link ByServer} (logback-test.xml) sends each log line to the file of the group of the
 * thread that logged it. A child-process server's output goes to its file directly.
 */
public final class ServerLogs {

    static final String GROUP_PREFIX = "notesync-server:";
    static final String OTHER = "tests";
    private static final int TAIL_LINES = 60;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** The servers running now, by name. */
    private static final Map<String, Path> RUNNING = new ConcurrentHashMap<>();

    private ServerLogs() {
    }

    static Path directory() {
        return Path.of(System.getProperty("notesync.server.logs", "target/server-logs"));
    }

    /** A fresh server name: the test class that starts it, and a number. */
    static String newName() {
        String test = StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.endsWith("Test"))
                .findFirst()).orElse("server");
        return test.substring(test.lastIndexOf('.') + 1) + "-" + COUNTER.incrementAndGet();
    }

    static Path file(String name) {
        try {
            Files.createDirectories(directory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory().resolve(name + ".log");
    }

    static void running(String name) {
        RUNNING.put(name, file(name));
    }

    static void stopped(String name) {
        RUNNING.remove(name);
    }

    /** The last lines of the log of every server running now, for a failure's report. */
    static String tails() {
        StringBuilder out = new StringBuilder();
        RUNNING.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(server -> {
            out.append("\n---- last lines of ").append(server.getValue()).append(" ----\n");
            out.append(String.join("\n", tail(server.getValue())));
        });
        return out.toString();
    }

    private static List<String> tail(Path file) {
        Deque<String> last = new ArrayDeque<>(TAIL_LINES);
        try (Stream<String> lines = Files.lines(file)) {
            lines.forEach(line -> {
                if (last.size() == TAIL_LINES) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
        } catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read it: " + e + ")");
        }
        return List.copyOf(last);
    }

    /** Runs {@code action} in a new thread of the server's thread group, and waits for it. */
    static <T> T inGroup(String name, java.util.concurrent.Callable<T> action) {
        ThreadGroup group = new ThreadGroup(GROUP_PREFIX + name);
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = new Thread(group, () -> {
            try {
                result.set(action.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name + "-control");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        return result.get();
    }

    /** logback: the server whose thread logged the event, or {@link #OTHER}. */
    public static final class ByServer extends AbstractDiscriminator<ILoggingEvent> {
        @Override
        public String getDiscriminatingValue(ILoggingEvent event) {
            for (ThreadGroup group = Thread.currentThread().getThreadGroup(); group != null; group = group.getParent()) {
                if (group.getName().startsWith(GROUP_PREFIX)) {
                    return group.getName().substring(GROUP_PREFIX.length());
                }
            }
            return OTHER;
        }

        @Override
        public String getKey() {
            return "server";
        }
    }

    /** JUnit: a failed test shows the end of the logs of the servers it talked to. */
    public static final class TailOnFailure implements org.junit.jupiter.api.extension.TestWatcher {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            String tails = tails();
            if (!tails.isEmpty()) {
                System.out.println(context.getDisplayName() + " failed;" + tails);
            }
        }
    }
}
