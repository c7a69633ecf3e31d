package io.notesync.engine;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

import java.util.concurrent.Executor;

/**
 * The Netty event loop the calling thread belongs to. netty-socketio runs event listeners on the
 * event loop of the socket's channel but does not hand out the channel; Netty records which
 * executor owns each of its threads ({@link ThreadExecutorMap}, an internal class in 4.1 and 4.2).
 */
public final class EventLoops {

    private EventLoops() {
    }

    /** The calling thread's event loop; when called elsewhere, an executor that runs in place. */
    public static Executor current() {
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        return executor != null ? executor : Runnable::run;
    }
}
