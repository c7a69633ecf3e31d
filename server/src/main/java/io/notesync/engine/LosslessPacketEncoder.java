package io.notesync.engine;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * netty-socketio's encoder, minus a packet loss. Its polling encoders take at most {@code limit}
 * (50) packets per response, but they poll the queue before checking the limit, so the 51st
 * packet is taken off the queue and dropped: seen here as 27 of 1,500 answers never reaching a
 * polling client. Handing them a queue of at most {@code limit} packets keeps the rest queued for
 * the next poll.
 */
final class LosslessPacketEncoder extends PacketEncoder {

    LosslessPacketEncoder(Configuration configuration) {
        super(configuration, configuration.getJsonSupport());
    }

    @Override
    public void encodePackets(Queue<Packet> packets, ByteBuf buffer, ByteBufAllocator allocator, int limit)
            throws IOException {
        super.encodePackets(takeAtMost(packets, limit), buffer, allocator, limit);
    }

    @Override
    public void encodeJsonP(Integer jsonpIndex, Queue<Packet> packets, ByteBuf out, ByteBufAllocator allocator, int limit)
            throws IOException {
        super.encodeJsonP(jsonpIndex, takeAtMost(packets, limit), out, allocator, limit);
    }

    private static Queue<Packet> takeAtMost(Queue<Packet> packets, int limit) {
        Queue<Packet> taken = new ArrayDeque<>(Math.min(limit, 64));
        for (int i = 0; i < limit; i++) {
            Packet packet = packets.poll();
            if (packet == null) {
                break;
            }
            taken.add(packet);
        }
        return taken;
    }
}
