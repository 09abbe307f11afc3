package dev.jtorrent.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A peer's address in the compact form that trackers (BEP 23, BEP 7), the DHT (BEP 5, BEP 32) and peer exchange
 * (BEP 11) all use: the IP address's 4 or 16 bytes, then the port, big-endian. Callers check lengths before reading.
 */
public final class CompactAddress {
    /** Bytes of a compact IPv4 address and port. */
    public static final int IPV4_LENGTH = 6;
    /** Bytes of a compact IPv6 address and port. */
    public static final int IPV6_LENGTH = 18;

    private CompactAddress() {
    }

    /** {@code address} in 6 or 18 bytes; it must be resolved. */
    public static byte[] encode(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] out = Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (address.getPort() >>> 8);
        out[ip.length + 1] = (byte) address.getPort();
        return out;
    }

    /**
     * The address of {@code length} bytes (6 or 18) at {@code offset}. An IPv4-mapped IPv6 address comes back as the
     * IPv4 address it maps, as {@link InetAddress#getByAddress(byte[])} makes it.
     *
     * @throws IllegalArgumentException if {@code length} is neither 6 nor 18
     */
    public static InetSocketAddress decode(byte[] bytes, int offset, int length) {
        if (length != IPV4_LENGTH && length != IPV6_LENGTH) {
            throw new IllegalArgumentException("a compact address is 6 or 18 bytes, not " + length);
        }
        try {
            InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + length - 2));
            int port = (bytes[offset + length - 2] & 0xff) << 8 | bytes[offset + length - 1] & 0xff;
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
