package io.notesync.protocol;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM during traffic: exit 0 in bounded time, and no packet confirmed that is not stored. */
class ShutdownTest {

    private static final String VIDEO = "https://example.org/talk";

    private static Thread sendMeanwhile(List<OutboxClient> clients, int from) {
        Thread sender = new Thread(() -> {
            for (int i = from; !Thread.currentThread().isInterrupted(); i++) {
                for (int u = 0; u < clients.size(); u++) {
                    String id = "u" + u + "-p" + i;
                    clients.get(u).add(id, packet(id, VIDEO, "user " + u + " note " + i, i));
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sender.start();
        return sender;
    }

    @Test
    void sigtermDuringTrafficExitsZeroAndEveryConfirmedPacketIsStored() throws Exception {
        try (ServerProcess server = new ServerProcess(TestServer.temporaryDataDir()).start()) {
            List<OutboxClient> clients = new ArrayList<>();
            for (int u = 0; u < 3; u++) {
                clients.add(new OutboxClient(server.url(), server.token("shutdown-user-" + u), 200));
            }
            Set<String> confirmed = new HashSet<>();
            int exit;
            try {
                // Traffic keeps flowing while the signal arrives: SIGTERM once 50 packets are confirmed.
                int i = 0;
                while (clients.stream().mapToInt(c -> c.confirmed().size()).sum() < 50 && i < 2_000) {
                    for (int u = 0; u < clients.size(); u++) {
                        String id = "u" + u + "-p" + i;
                        clients.get(u).add(id, packet(id, VIDEO, "user " + u + " note " + i, i));
                    }
                    i++;
                    Thread.sleep(5);
                }
                Thread sender = sendMeanwhile(clients, i);
                // The drain takes well under a second when idle; a loaded machine (repeat.sh --hog) took over 20 s.
                exit = server.terminate(Duration.ofSeconds(60));
                sender.interrupt();
                sender.join();
                for (int u = 0; u < clients.size(); u++) {
                    for (String id : clients.get(u).confirmed()) {
                        confirmed.add(id);
                    }
                }
            } finally {
                clients.forEach(OutboxClient::close);
            }
            assertEquals(0, exit, "exit code after SIGTERM");
            String log = Files.readString(server.log());
            assertTrue(log.contains("every packet received was answered"), "the drain did not finish:\n" + log);

            server.start();
            int stored = 0;
            for (int u = 0; u < 3; u++) {
                Set<String> texts = new HashSet<>(NotesApi.texts(server.url(), server.token("shutdown-user-" + u), VIDEO));
                stored += texts.size();
                for (String id : confirmed) {
                    if (id.startsWith("u" + u + "-")) {
                        assertTrue(texts.contains("user " + u + " note " + id.substring(id.indexOf("-p") + 2)),
                                "confirmed " + id + " was lost");
                    }
                }
            }
            System.out.printf("shutdown test: exit %d, %d confirmed before SIGTERM, %d stored%n", exit, confirmed.size(), stored);
        }
    }
}
