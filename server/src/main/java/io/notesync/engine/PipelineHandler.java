package io.notesync.engine;

import io.netty.channel.ChannelHandler;

/** A sharable handler to put into every connection's pipeline ahead of Socket.IO, under a name. */
public record PipelineHandler(String name, ChannelHandler handler) {
}
