package io.notesync.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.notesync.protocol.JavaClient.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several users with outbox clients send while the server is killed with SIGKILL three times and
 * restarted: at the end every packet is stored exactly once, and every confirmed one is there.
 */
class FaultTest {

    private static final String VIDEO = "https://www.youtube.com/watch?v=aqz-KE-bpKQ";
    private static final int USERS = 4;
    private static final int PACKETS_PER_USER = 150;
    private static final int KILLS = 3;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyPacketIsStoredExactlyOnceAcrossRepeatedKillDashNine() throws Exception {
        try (ServerProcess server = new ServerProcess(TestServer.temporaryDataDir()).start()) {
            List<String> users = new ArrayList<>();
            List<OutboxClient> clients = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String user = "fault-user-" + u;
                users.add(user);
                clients.add(new OutboxClient(server.url(), server.token(user), 300));
            }
            try {
                int kills = 0;
                for (int i = 0; i < PACKETS_PER_USER; i++) {
                    for (int u = 0; u < USERS; u++) {
                        String id = "u" + u + "-p" + i;
                        clients.get(u).add(id, packet(id, VIDEO, users.get(u) + " note " + i, i));
                    }
                    if (i > 0 && i % (PACKETS_PER_USER / (KILLS + 1)) == 0 && kills < KILLS) {
                        server.kill();
                        kills++;
                        server.start();
                    }
                    Thread.sleep(5);
                }
                // Every outbox resends all it holds every 300 ms; on a loaded machine the store falls
                // behind and answers storageUnavailable until the backlog drains (a full run with the
                // load average at 18 needed 61 s). The bound is the deadline, not a speed claim.
                long deadline = System.nanoTime() + 150_000_000_000L;
                while (clients.stream().anyMatch(c -> !c.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                int confirmed = 0;
                int stored = 0;
                for (int u = 0; u < USERS; u++) {
                    OutboxClient client = clients.get(u);
                    assertTrue(client.isEmpty(), users.get(u) + " still has " + client.pending() + " unconfirmed");
                    assertTrue(client.dropped().isEmpty(), "dropped: " + client.dropped());
                    List<String> texts = NotesApi.texts(server.url(), server.token(users.get(u)), VIDEO);
                    Set<String> unique = new HashSet<>(texts);
                    assertEquals(texts.size(), unique.size(), "a note of " + users.get(u) + " was stored twice");
                    assertEquals(PACKETS_PER_USER, texts.size(), "notes of " + users.get(u));
                    for (String id : client.confirmed()) {
                        String index = id.substring(id.indexOf("-p") + 2);
                        assertTrue(unique.contains(users.get(u) + " note " + index), "confirmed " + id + " is missing");
                    }
                    confirmed += client.confirmed().size();
                    stored += texts.size();
                }
                System.out.printf("fault test: %d users, %d packets, %d kill -9, %d confirmed, %d stored, each once%n",
                        USERS, USERS * PACKETS_PER_USER, kills, confirmed, stored);
            } finally {
                clients.forEach(OutboxClient::close);
            }
        }
    }
}
