package io.notesync.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressRangeTest {

    @Test
    void anAddressIsARangeOfOne() {
        AddressRange one = AddressRange.parse("192.0.2.7");
        assertTrue(one.contains(AddressRange.literal("192.0.2.7")));
        assertFalse(one.contains(AddressRange.literal("192.0.2.8")));
        assertEquals("192.0.2.7/32", one.toString());
    }

    @Test
    void cidrBlocksMatchTheirPrefix() {
        AddressRange ten = AddressRange.parse("10.0.0.0/8");
        assertTrue(ten.contains(AddressRange.literal("10.255.1.2")));
        assertFalse(ten.contains(AddressRange.literal("11.0.0.1")));
        AddressRange odd = AddressRange.parse("172.16.0.0/12");
        assertTrue(odd.contains(AddressRange.literal("172.31.255.255")));
        assertFalse(odd.contains(AddressRange.literal("172.32.0.0")));
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(AddressRange.literal("8.8.8.8")));
        // Host bits set in the network part are masked off, as most tools do.
        assertEquals(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("10.1.2.3/8"));
    }

    @Test
    void ipv6BlocksMatchIpv6Only() {
        AddressRange ula = AddressRange.parse("fd00::/8");
        assertTrue(ula.contains(AddressRange.literal("fd12:3456::1")));
        assertFalse(ula.contains(AddressRange.literal("fe80::1")));
        assertFalse(ula.contains(AddressRange.literal("10.0.0.1")));
        assertTrue(AddressRange.parse("::1").contains(AddressRange.literal("0:0:0:0:0:0:0:1")));
        assertFalse(AddressRange.parse("10.0.0.0/8").contains(AddressRange.literal("::1")));
    }

    @Test
    void badEntriesAreRefusedWithTheReason() {
        for (String bad : new String[] {"", "localhost", "10.0.0.0/33", "::1/129", "10.0.0/8", "256.1.1.1", "10.0.0.1/",
                "10.0.0.1/-1", "fe80::1%eth0", "example.com/8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.trim()), e.getMessage());
        }
    }

    @Test
    void literalsNeverLookUpNames() {
        assertNull(AddressRange.literal("localhost"));
        assertNull(AddressRange.literal("999.1.1.1"));
        assertNull(AddressRange.literal("unknown"));
        assertEquals("10.0.0.1", AddressRange.literal("::ffff:10.0.0.1").getHostAddress());
    }
}
