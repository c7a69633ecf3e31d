package io.notesync.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpClient;
import java.net.URI;
import java.net.SocketException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code notesync serve} with the secret published in config/notesync.yml refuses to listen on
 * anything but loopback, and says what to do; on loopback it starts, and a secret of one's own
 * starts anywhere.
 */
class ExposureTest {

    /** auth.secret of config/notesync.yml, as anyone can read it in the repository. */
    private static final String PUBLISHED_SECRET = "dev-only-secret-change-me-0123456789abcdef";

    @Test
    void thePublishedSecretIsRefusedOnANonLoopbackAddressWithTheMessage() throws Exception {
        List<String> hosts = new ArrayList<>(List.of("0.0.0.0"));
        hosts.addAll(nonLoopbackAddresses()); // this machine's own network address, when it has one
        for (String host : hosts) {
            try (ServerProcess server = new ServerProcess(TestServer.temporaryDataDir(),
                    Map.of("server.host", host, "auth.secret", PUBLISHED_SECRET))) {
                assertEquals(2, server.startExpectingExit(Duration.ofSeconds(60)), host);
                String log = Files.readString(server.log());
                for (String named : List.of("auth.secret", "server.host", "'" + host + "'", "NOTESYNC_JWT_SECRET")) {
                    assertTrue(log.contains(named), named + " in the message for " + host + ":\n" + log);
                }
                assertThrows(IOException.class, () -> new Socket().connect(
                        new InetSocketAddress(host.equals("0.0.0.0") ? "127.0.0.1" : host, server.port()), 1000), "nothing listens");
            }
        }
    }

    @Test
    void thePublishedSecretStartsOnLoopback() throws Exception {
        try (ServerProcess server = new ServerProcess(TestServer.temporaryDataDir(),
                Map.of("server.host", "127.0.0.1", "auth.secret", PUBLISHED_SECRET))) {
            server.start();
            assertEquals(200, health("127.0.0.1", server.port()));
            for (String other : nonLoopbackAddresses()) {
                assertThrows(IOException.class, () -> new Socket().connect(new InetSocketAddress(other, server.port()), 1000),
                        "loopback only: nothing answers on " + other);
            }
        }
    }

    @Test
    void anOwnSecretStartsOnEveryAddress() throws Exception {
        try (ServerProcess server = new ServerProcess(TestServer.temporaryDataDir(), Map.of("server.host", "0.0.0.0"))) {
            server.start(); // the test secret
            List<String> addresses = new ArrayList<>(List.of("127.0.0.1"));
            addresses.addAll(nonLoopbackAddresses()); // this machine's own network address, when it has one
            for (String address : addresses) {
                assertEquals(200, health(address, server.port()), "/health on " + address);
            }
        }
    }

    private static int health(String address, int port) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + "/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static List<String> nonLoopbackAddresses() throws SocketException {
        List<String> found = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        found.add(address.getHostAddress());
                    }
                }
            }
        }
        return found.isEmpty() ? found : found.subList(0, 1);
    }
}
