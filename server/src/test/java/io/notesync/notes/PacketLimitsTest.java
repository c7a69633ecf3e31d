package io.notesync.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PacketLimitsTest {

    @Test
    void defaultsAreOneHundredNotesOfTenThousandCharacters() {
        assertEquals(100, PacketLimits.DEFAULTS.maxNotesPerPacket());
        assertEquals(10_000, PacketLimits.DEFAULTS.maxNoteChars());
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PacketLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new PacketLimits(10, 0));
    }
}
