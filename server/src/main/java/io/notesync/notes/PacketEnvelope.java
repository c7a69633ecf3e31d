package io.notesync.notes;

/**
 * What can be read from a packet before it is validated, to check its token and to name it in an
 * answer: its {@code packetId} (null unless it is a valid packetId string) and whether it carries
 * an {@code accessToken} (present with a non-null value, of whatever type: the token check judges it).
 */
public record PacketEnvelope(String packetId, boolean hasAccessToken, Object accessToken) {
}
