package io.notesync.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * One IPv4 or IPv6 address, or a CIDR block of them ({@code 10.0.0.0/8}, {@code fd00::/8}), as
 * {@code http.trustedProxies} lists them. Parsing never asks DNS: only address literals are taken.
 */
public record AddressRange(byte[] network, int prefixBits) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hex digits and colons, with an optional dotted IPv4 tail (::ffff:10.0.0.1); no zone id. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    public AddressRange {
        network = network.clone();
    }

    /** @throws IllegalArgumentException with what is wrong, when {@code text} is neither an address nor a CIDR block */
    public static AddressRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        InetAddress address = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an IPv4 or IPv6 address or CIDR block");
        }
        int maxBits = address.getAddress().length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            String prefix = trimmed.substring(slash + 1);
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > maxBits) {
                throw new IllegalArgumentException("'" + trimmed + "' has a prefix length that is not 0.." + maxBits);
            }
            bits = Integer.parseInt(prefix);
        }
        return new AddressRange(masked(address.getAddress(), bits), bits);
    }

    /**
     * The address an IP literal stands for, or null when {@code text} is not one. IPv4-mapped IPv6
     * literals come back as IPv4, as Java hands out peers of a dual-stack socket.
     */
    public static InetAddress literal(String text) {
        try {
            if (text != null && IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            if (text != null && IPV6.matcher(text).matches()) {
                // Contains a colon, so getByName parses it as an IPv6 literal and never asks DNS.
                return InetAddress.getByName(text);
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && java.util.Arrays.equals(masked(bytes, prefixBits), network);
    }

    private static byte[] masked(byte[] address, int bits) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange range && range.prefixBits == prefixBits
                && java.util.Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixBits;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
