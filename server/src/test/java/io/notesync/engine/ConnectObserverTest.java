package io.notesync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which client payloads hold a Socket.IO CONNECT to "/", the moment notesync checks a socket's token. */
class ConnectObserverTest {

    private static final String SEPARATOR = "\u001e";

    private static boolean connects(String payload) {
        ByteBuf content = Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8);
        try {
            int readerIndex = content.readerIndex();
            boolean found = ConnectObserver.containsDefaultNamespaceConnect(content);
            assertEquals(readerIndex, content.readerIndex(), "the transport reads the content afterwards: nothing consumed");
            return found;
        } finally {
            content.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "40",
            "40{\"token\":\"abc\"}",
            "40{}",
    })
    void aConnectToTheMainNamespaceIsFound(String payload) {
        assertTrue(connects(payload), payload);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "4",
            "3",
            "2probe",
            "41",
            "42[\"packet\",{\"text\":\"40\"}]",
            "40/admin,",
            "40/admin,{\"token\":\"abc\"}",
            "440",
            "x40",
    })
    void otherPacketsAreNotAConnectToTheMainNamespace(String payload) {
        assertFalse(connects(payload), payload);
    }

    @Test
    void aConnectAnywhereInAPollingPayloadIsFound() {
        assertTrue(connects("3" + SEPARATOR + "40{\"token\":\"abc\"}"));
        assertTrue(connects("40" + SEPARATOR + "42[\"packet\",{}]"));
        assertTrue(connects("3" + SEPARATOR + "40"));
    }

    @Test
    void aPollingPayloadWithoutAConnectToTheMainNamespaceIsNot() {
        assertFalse(connects("3" + SEPARATOR + "42[\"packet\",{}]"));
        assertFalse(connects("40/admin," + SEPARATOR + "41"));
        assertFalse(connects(SEPARATOR + SEPARATOR));
    }

    @Test
    void onlyTheReadableBytesCount() {
        ByteBuf content = Unpooled.copiedBuffer("xx40", StandardCharsets.UTF_8);
        try {
            assertFalse(ConnectObserver.containsDefaultNamespaceConnect(content));
            content.skipBytes(2);
            assertTrue(ConnectObserver.containsDefaultNamespaceConnect(content));
        } finally {
            content.release();
        }
    }
}
