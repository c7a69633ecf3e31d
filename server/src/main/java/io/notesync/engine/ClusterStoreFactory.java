package io.notesync.engine;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.handler.AuthorizeHandler;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.namespace.NamespacesHub;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.store.MemoryStore;
import com.corundumstudio.socketio.store.Store;
import com.corundumstudio.socketio.store.pubsub.BaseStoreFactory;
import com.corundumstudio.socketio.store.pubsub.DispatchMessage;
import com.corundumstudio.socketio.store.pubsub.PubSubListener;
import com.corundumstudio.socketio.store.pubsub.PubSubMessage;
import com.corundumstudio.socketio.store.pubsub.PubSubStore;
import com.corundumstudio.socketio.store.pubsub.PubSubType;
import io.notesync.cluster.RedisFanout;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * netty-socketio's hook for several nodes ({@code Configuration.setStoreFactory}), used instead of
 * its {@code RedissonStoreFactory}, which does not fit a node that must keep storing and
 * confirming while Redis is down:
 * <ul>
 *   <li>its pub/sub publishes synchronously ({@code RTopic.publish}), and netty-socketio publishes
 *       from Netty event loops on every connect ({@code JOIN}, {@code CONNECT}) and disconnect
 *       ({@code BULK_LEAVE}, {@code DISCONNECT}): a Redis outage would stall every socket on the
 *       thread. Here only room broadcasts ({@code DISPATCH}) are published, through
 *       {@link RedisFanout#publish}, which never blocks;</li>
 *   <li>its per-socket {@code Store} is a Redis hash written on the connecting thread; a socket
 *       never moves between nodes (sticky sessions), so its store stays in this JVM;</li>
 *   <li>the {@code JOIN}/{@code LEAVE} messages make every node record every other node's sockets
 *       in its room table, and a node that dies never sends their {@code LEAVE}: memory grows on
 *       the survivors. A broadcast needs only each node's own room members, so they are not sent;</li>
 *   <li>a received {@code DISPATCH} is sent by {@code Namespace.dispatch} with the Engine.IO
 *       version of whichever socket the sending node saw last; here each socket gets its own.</li>
 * </ul>
 * Sender exclusion needs nothing across nodes: the sender's socket lives on the sending node,
 * which skips it locally and ignores its own message when Redis echoes it back.
 */
final class ClusterStoreFactory extends BaseStoreFactory {

    /**
     * What a room broadcast is made of once Java-serialized (DispatchMessage > Packet > our
     * fPacket body of maps, lists, strings and numbers): the only classes {@link RedisFanout}
     * deserializes besides plain JDK values.
     */
    static final Set<String> BROADCAST_CLASSES = Set.of(
            "com.corundumstudio.socketio.store.pubsub.DispatchMessage",
            "com.corundumstudio.socketio.store.pubsub.PubSubMessage",
            "com.corundumstudio.socketio.protocol.Packet",
            "com.corundumstudio.socketio.protocol.PacketType",
            "com.corundumstudio.socketio.protocol.EngineIOVersion");

    private final RedisFanout fanout;
    private final PubSubStore pubSub = new PubSubStore() {
        @Override
        public void publish(PubSubType type, PubSubMessage message) {
            if (type == PubSubType.DISPATCH) {
                fanout.publish((DispatchMessage) message);
            }
        }

        @Override
        public <T extends PubSubMessage> void subscribe(PubSubType type, PubSubListener<T> listener, Class<T> clazz) {
            // Nothing subscribes but init() below, which uses the fan-out directly.
        }

        @Override
        public void unsubscribe(PubSubType type) {
        }

        @Override
        public void shutdown() {
        }
    };

    ClusterStoreFactory(RedisFanout fanout) {
        this.fanout = fanout;
    }

    /** Called by netty-socketio when the server starts; from then on other nodes' broadcasts arrive. */
    @Override
    public void init(NamespacesHub namespaces, AuthorizeHandler authorizeHandler, JsonSupport jsonSupport) {
        fanout.receiveWith(message -> {
            if (message instanceof DispatchMessage dispatch) {
                deliver(namespaces, dispatch);
            }
        });
    }

    private static void deliver(NamespacesHub namespaces, DispatchMessage message) {
        Namespace namespace = namespaces.get(message.getNamespace());
        if (namespace == null) {
            return;
        }
        Packet received = message.getPacket();
        for (SocketIOClient client : namespace.getRoomClients(message.getRoom())) {
            client.send(copyFor(received, client));
        }
    }

    /** A packet per socket: the encoder reads its Engine.IO version after this method has returned. */
    private static Packet copyFor(Packet received, SocketIOClient client) {
        Packet packet = new Packet(received.getType(), client.getEngineIOVersion());
        packet.setSubType(received.getSubType());
        packet.setName(received.getName());
        packet.setNsp(received.getNsp());
        packet.setData(received.getData());
        return packet;
    }

    @Override
    public PubSubStore pubSubStore() {
        return pubSub;
    }

    @Override
    public Store createStore(UUID sessionId) {
        return new MemoryStore();
    }

    @Override
    public <K, V> Map<K, V> createMap(String name) {
        return new ConcurrentHashMap<>();
    }

    /** The Redis link belongs to the wiring, which closes it after the sockets. */
    @Override
    public void shutdown() {
    }

    @Override
    public String toString() {
        return "ClusterStoreFactory (sessions in this JVM, room broadcasts through Redis)";
    }
}
