package io.notesync.protocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nobody can lock a user out from elsewhere: the server sees two clients, 127.0.0.2 (the guesser)
 * and 127.0.0.1 (the user's own machine), as two loopback addresses.
 */
class LoginLockoutTest {

    private static final String USER = "lockout-user";
    private static final String PASSWORD = "lockout-user-password";
    private static final String GUESSER = "127.0.0.2";
    private static final String OWNER = "127.0.0.1";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("login.maxFailuresPerUser", "3", "login.maxFailuresPerAddress", "5",
                "auth.passwordHashCost", "4"));
        server.addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void wrongGuessesFromOneAddressDoNotStopTheRightPasswordFromAnother() throws IOException {
        for (int i = 0; i < 6; i++) {
            assertEquals(401, login(GUESSER, USER, "wrong-guess-" + i));
        }
        assertEquals(401, login(GUESSER, USER, PASSWORD), "the guesser's address is throttled, even with the right password");
        assertEquals(200, login(OWNER, USER, PASSWORD), "the user's own machine is not locked out");
    }

    /** POST /auth/login over a socket bound to {@code localAddress}; the status. */
    static int login(String localAddress, String username, String password) throws IOException {
        byte[] body = ("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            if (parts.length < 2) {
                throw new IOException("no HTTP answer: '" + statusLine + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
