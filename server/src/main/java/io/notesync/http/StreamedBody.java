package io.notesync.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A 200 answer written while it is produced, in chunks ({@code Transfer-Encoding: chunked}), so
 * that its size is not bounded by memory: an export of a large account. Written from the HTTP
 * executor (never an event loop); each chunk waits until the connection has taken the previous
 * one, so a slow reader holds at most one chunk of the server's memory.
 */
record StreamedBody(String contentType, String fileName, Writer writer) {

    /** Produces the body into {@code out}; may throw before the first byte to answer an error instead. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long WRITE_TIMEOUT_SECONDS = 60;

    void send(ChannelHandlerContext ctx, boolean keepAlive) throws IOException {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        HttpUtil.setTransferEncodingChunked(head, true);
        if (keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChunkedOutput out = new ChunkedOutput(ctx, head);
        try {
            writer.write(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (out.started) {
                // The status has gone out: the only way to say "incomplete" is to cut the connection.
                ctx.close();
            }
            throw e;
        }
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final class ChunkedOutput extends OutputStream {
        private final ChannelHandlerContext ctx;
        private final HttpResponse head;
        private final byte[] buffer = new byte[CHUNK_BYTES];
        private int used;
        private boolean started;

        ChunkedOutput(ChannelHandlerContext ctx, HttpResponse head) {
            this.ctx = ctx;
            this.head = head;
        }

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (used == buffer.length) {
                    flush();
                }
                int n = Math.min(length, buffer.length - used);
                System.arraycopy(bytes, offset, buffer, used, n);
                used += n;
                offset += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (!started) {
                started = true;
                ctx.write(head);
            }
            if (used == 0) {
                ctx.flush();
                return;
            }
            ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(Arrays.copyOf(buffer, used))));
            used = 0;
            if (!written.awaitUninterruptibly(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !written.isSuccess()) {
                throw new IOException("the client did not take the export in time, or went away");
            }
        }
    }
}
