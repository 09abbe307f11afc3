package dev.jtorrent.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.zip.CRC32C;
import java.util.random.RandomGenerator;

/**
 * BEP 42 node ids: the first 21 bits of a node's id are tied to its external address by CRC32C, so that one address
 * cannot choose ids all over the key space and surround a key. A node takes such an id once it knows its external
 * address ({@link ExternalAddressVote}).
 *
 * <p>The address is masked (IPv4 with 03 0f 3f ff, the high 64 bits of IPv6 with 01 03 07 0f 1f 3f 7f ff), a random
 * number {@code r} of 0-7 goes into its top three bits, and the CRC32C of those 4 or 8 bytes gives the id's first 21
 * bits; the last byte of the id holds {@code r} in its low three bits.
 *
 * <p>Others' ids are not checked ({@link #matches} exists for tests and diagnostics): libtorrent does not enforce
 * BEP 42 by default either, and most of the DHT does not comply, so refusing non-complying nodes would cut us off.
 */
final class SecureId {
    private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    private SecureId() {
    }

    /** A fresh id for a node whose external address is {@code address}. */
    static NodeId derive(InetAddress address, RandomGenerator random) {
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        return derive(address, id[NodeId.LENGTH - 1] & 0xff, id);
    }

    /**
     * The id whose restricted bits follow from {@code address} and {@code rand} (the id's last byte; its low three
     * bits are {@code r}), the other bits taken from {@code randomBits}. The BEP's test vectors are of this form.
     */
    static NodeId derive(InetAddress address, int rand, byte[] randomBits) {
        int crc = crc(address, rand & 7);
        byte[] id = randomBits.clone();
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) ((crc >>> 8) & 0xf8 | id[2] & 0x07);
        id[NodeId.LENGTH - 1] = (byte) rand;
        return NodeId.of(id);
    }

    /** Whether {@code id} is a BEP 42 id for {@code address}. */
    static boolean matches(NodeId id, InetAddress address) {
        byte[] b = id.bytes();
        int crc = crc(address, b[NodeId.LENGTH - 1] & 7);
        return b[0] == (byte) (crc >>> 24) && b[1] == (byte) (crc >>> 16)
                && (b[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    private static int crc(InetAddress address, int r) {
        byte[] ip = address.getAddress();
        byte[] mask = address instanceof Inet4Address ? V4_MASK : V6_MASK;
        byte[] masked = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            masked[i] = (byte) (ip[i] & mask[i]);
        }
        masked[0] |= (byte) (r << 5);
        CRC32C crc = new CRC32C();
        crc.update(masked);
        return (int) crc.getValue();
    }
}
