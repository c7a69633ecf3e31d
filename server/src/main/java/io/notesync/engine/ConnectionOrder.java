package io.notesync.engine;

import io.netty.channel.Channel;

/**
 * The order in which the server accepted two connections. netty-socketio's event loops read
 * connections on several threads, so the order in which requests are handled is not the order in
 * which clients connected; the accepting thread numbers every connection it creates, in order,
 * and Netty keeps that number in the channel's long id ({@code machine-process-sequence-time-random}).
 */
final class ConnectionOrder {

    private ConnectionOrder() {
    }

    /** True when {@code a} was accepted before {@code b}; false when unknown. */
    static boolean connectedBefore(Channel a, Channel b) {
        long first = sequence(a);
        long second = sequence(b);
        return first >= 0 && second >= 0 && first < second;
    }

    private static long sequence(Channel channel) {
        String[] parts = channel.id().asLongText().split("-");
        if (parts.length != 5) {
            return -1;
        }
        try {
            return Long.parseLong(parts[2], 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
