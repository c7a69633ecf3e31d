package io.notesync.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How every thread notesync starts itself is made: a daemon (the JVM's exit waits for
 * {@code NotesyncServer.close()}, never for a timer), named for what it does so a thread dump
 * reads. One thread is named {@code name}; a pool's are {@code name-1}, {@code name-2}, ...
 */
public final class DaemonThreads implements ThreadFactory {

    private final String name;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    private DaemonThreads(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /** For an executor of one thread. */
    public static DaemonThreads named(String name) {
        return new DaemonThreads(name, false);
    }

    /** For a pool: {@code name-1}, {@code name-2}, ... */
    public static DaemonThreads numbered(String name) {
        return new DaemonThreads(name, true);
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, numbered ? name + "-" + count.incrementAndGet() : name);
        thread.setDaemon(true);
        return thread;
    }
}
