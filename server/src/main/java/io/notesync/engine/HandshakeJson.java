package io.notesync.engine;

import com.corundumstudio.socketio.AckCallback;
import com.corundumstudio.socketio.protocol.AckArgs;
import com.corundumstudio.socketio.protocol.AuthPacket;
import com.corundumstudio.socketio.protocol.JsonSupport;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * netty-socketio's JSON support, with one change: the Engine.IO handshake ({@code 0{...}}) also
 * carries {@code maxPayload}, as Engine.IO v4 specifies. socket.io-client 4.6 and later split
 * what they send over long-polling by it; without it a large batch is refused on polling.
 * netty-socketio's {@link AuthPacket} has no such field, and the handshake is the only place
 * an {@code AuthPacket} is written, so it is rewritten here (a configuration extension point:
 * {@code Configuration.setJsonSupport}).
 */
public final class HandshakeJson implements JsonSupport {

    private final JsonSupport delegate;
    private final int maxPayload;
    private final long pingTimeout;

    /**
     * @param pingTimeout the one {@link Heartbeat} keeps, announced in place of netty-socketio's own,
     *                    which is set later so that it stays a backstop (see SocketEngine)
     */
    public HandshakeJson(JsonSupport delegate, int maxPayload, long pingTimeout) {
        this.delegate = delegate;
        this.maxPayload = maxPayload;
        this.pingTimeout = pingTimeout;
    }

    @Override
    public void writeValue(ByteBufOutputStream out, Object value) throws IOException {
        if (value instanceof AuthPacket handshake) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sid", handshake.getSid().toString());
            body.put("upgrades", handshake.getUpgrades());
            body.put("pingInterval", handshake.getPingInterval());
            body.put("pingTimeout", pingTimeout);
            body.put("maxPayload", maxPayload);
            delegate.writeValue(out, body);
            return;
        }
        delegate.writeValue(out, value);
    }

    @Override
    public AckArgs readAckArgs(ByteBufInputStream src, AckCallback<?> callback) throws IOException {
        return delegate.readAckArgs(src, callback);
    }

    @Override
    public <T> T readValue(String namespaceName, ByteBufInputStream src, Class<T> valueType) throws IOException {
        return delegate.readValue(namespaceName, src, valueType);
    }

    @Override
    public void addEventMapping(String namespaceName, String eventName, Class<?>... eventClass) {
        delegate.addEventMapping(namespaceName, eventName, eventClass);
    }

    @Override
    public void removeEventMapping(String namespaceName, String eventName) {
        delegate.removeEventMapping(namespaceName, eventName);
    }

    @Override
    public List<byte[]> getArrays() {
        return delegate.getArrays();
    }
}
