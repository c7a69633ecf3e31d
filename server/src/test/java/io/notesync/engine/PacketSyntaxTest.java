package io.notesync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.notesync.engine.PacketSyntax.Kind;
import io.notesync.engine.PacketSyntax.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacketSyntaxTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1|CLOSE",
            "3|PONG",
            "2probe|OTHER",
            "5|OTHER",
            "6|OTHER",
            "bAQID|OTHER",
            "0|OTHER",
    })
    void engineIoPacketsAClientMaySend(String packet, Kind kind) {
        assertEquals(kind, PacketSyntax.parse(packet).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",            // nothing at all
            "2",           // a ping: in Engine.IO v4 only the server pings
            "abc",         // no packet type
            "7",           // no such Engine.IO type
            "4",           // a message without a Socket.IO packet
            "4abc",        // no such Socket.IO type
            "47",          // no such Socket.IO type
            "44{\"message\":\"x\"}", // CONNECT_ERROR goes from server to client only
            "40[1]",       // a CONNECT payload must be an object
            "40\"token\"", // ... not a string
            "41{}",        // a DISCONNECT carries no payload
            "42{\"a\":1}", // an event is an array
            "42[]",        // ... with a name
            "42[\"connect\"]",     // reserved event names
            "42[\"disconnect\",1]",
            "42[\"packet\"",       // broken JSON
            "43",          // an ack needs an array
            "451[\"packet\",{}]",  // binary event without '-' after the attachment count
            "45-[\"packet\",{}]",  // ... or without the count
    })
    void packetsTheSpecificationsDoNotAllowAreInvalid(String packet) {
        assertEquals(Kind.INVALID, PacketSyntax.parse(packet).kind(), packet);
    }

    @Test
    void connectToTheMainNamespaceWithAndWithoutAuth() {
        assertEquals(new Parsed(Kind.CONNECT, "", null), PacketSyntax.parse("40"));
        assertEquals(new Parsed(Kind.CONNECT, "", null), PacketSyntax.parse("40{\"token\":\"abc\"}"));
    }

    @Test
    void connectAndDisconnectNameTheirNamespace() {
        assertEquals(new Parsed(Kind.CONNECT, "/admin", null), PacketSyntax.parse("40/admin,"));
        assertEquals(new Parsed(Kind.CONNECT, "/admin", null), PacketSyntax.parse("40/admin,{\"token\":\"abc\"}"));
        assertEquals(new Parsed(Kind.DISCONNECT, "", null), PacketSyntax.parse("41"));
        assertEquals(new Parsed(Kind.DISCONNECT, "/admin", null), PacketSyntax.parse("41/admin,"));
    }

    @Test
    void eventsCarryTheirNameAndNamespace() {
        assertEquals(new Parsed(Kind.NAMESPACE_PACKET, "", "packet"), PacketSyntax.parse("42[\"packet\",{\"packetId\":\"a\"}]"));
        assertEquals(new Parsed(Kind.NAMESPACE_PACKET, "", "packet"), PacketSyntax.parse("4212[\"packet\",{}]"));
        assertEquals(new Parsed(Kind.NAMESPACE_PACKET, "/admin", "hello"), PacketSyntax.parse("42/admin,7[\"hello\"]"));
        assertEquals(new Parsed(Kind.NAMESPACE_PACKET, "", "packet"), PacketSyntax.parse("451-[\"packet\",{\"_placeholder\":true,\"num\":0}]"));
    }

    @Test
    void anEventNamedByANumberIsAllowedButHasNoName() {
        Parsed parsed = PacketSyntax.parse("42[1,\"x\"]");
        assertEquals(Kind.NAMESPACE_PACKET, parsed.kind());
        assertNull(parsed.event());
    }

    @Test
    void acksAreNamespacePacketsWithoutAnEventName() {
        assertEquals(new Parsed(Kind.NAMESPACE_PACKET, "", null), PacketSyntax.parse("433[\"ok\"]"));
        assertEquals(new Parsed(Kind.NAMESPACE_PACKET, "", null), PacketSyntax.parse("461-3[{\"_placeholder\":true,\"num\":0}]"));
    }
}
