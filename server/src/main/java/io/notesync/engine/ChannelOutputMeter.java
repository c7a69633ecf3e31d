package io.notesync.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every channel's pipeline (nearest the socket): counts the bytes written to the channel
 * that the kernel has not accepted yet, i.e. Netty's outbound buffer, from the write to its
 * promise's completion (written, or failed when the channel closes). netty-socketio writes each
 * packet to a WebSocket without looking at the channel's writability, so a peer that stops
 * reading leaves every frame sent to it here. A WebSocket is bounded by
 * {@code socketio.maxBufferedBytes}; any connection (a poll's answer, an HTTP API answer) counts
 * against the process budget.
 *
 * <p>One instance per channel; its count changes on the channel's event loop only.
 */
final class ChannelOutputMeter extends ChannelDuplexHandler {

    static final String NAME = "notesyncOutputMeter";
    private static final Logger log = LoggerFactory.getLogger(ChannelOutputMeter.class);

    private final OutputBudget budget;
    private final EngineSessions sessions;
    private final Holder holder = new Holder();
    private volatile long held;
    private Channel channel;

    ChannelOutputMeter(OutputBudget budget, EngineSessions sessions) {
        this.budget = budget;
        this.sessions = sessions;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = sizeOf(msg);
        if (bytes == 0) {
            ctx.write(msg, promise);
            return;
        }
        // A void promise cannot be listened to; unvoid() gives one that can (and still reports failures).
        ChannelPromise counted = promise.unvoid();
        add(bytes);
        counted.addListener(future -> add(-bytes));
        ctx.write(msg, counted);
    }

    /** On the event loop only; a closed channel fails its pending writes, so what it held comes back to 0. */
    private void add(long bytes) {
        long now = held + bytes;
        held = now;
        budget.changed(holder, bytes, now);
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf buffer) {
            return buffer.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        if (msg instanceof FileRegion region) {
            return region.count() - region.transferred();
        }
        return 0;
    }

    private final class Holder extends OutputHolder {
        @Override
        long held() {
            return held;
        }

        /** A socket's WebSocket has the socket's bound; other connections only count against the process's. */
        @Override
        long limit() {
            Channel open = channel;
            return open != null && open.hasAttr(EngineSession.OF_WEBSOCKET) ? budget.perSocket() : Long.MAX_VALUE;
        }

        @Override
        void cutOff(String reason) {
            Channel open = channel;
            EngineSession session = open.attr(EngineSession.OF_WEBSOCKET).get();
            if (session != null && session.webSocket() == open) {
                sessions.cutOff(session.head(), reason);
            } else {
                log.info("closing connection {}: {}", open.remoteAddress(), reason);
            }
            // At once, not after a close frame: a close frame would wait behind what the peer is not reading.
            open.close();
        }
    }
}
