package dev.jtorrent.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A 160-bit DHT node id, or any key of the same space (an info hash, a lookup target). Distances are the XOR metric
 * of BEP 5, compared as unsigned big-endian numbers. Immutable.
 */
final class NodeId {
    static final int LENGTH = 20;
    static final int BITS = LENGTH * 8;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** An id from exactly {@value #LENGTH} bytes, copied. */
    static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /** A random id that shares its first {@code prefixBits} bits with this one: a target inside a bucket's range. */
    NodeId randomWithPrefix(int prefixBits, RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int i = 0; i < prefixBits; i++) {
            int mask = 0x80 >>> (i & 7);
            b[i >>> 3] = (byte) ((b[i >>> 3] & ~mask) | (bytes[i >>> 3] & mask));
        }
        return new NodeId(b);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** The same id with bit {@code bit} (0 the most significant) flipped. */
    NodeId flip(int bit) {
        byte[] b = bytes.clone();
        b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        return new NodeId(b);
    }

    /** How many leading bits this id shares with {@code other}: {@value #BITS} when they are equal. */
    int commonPrefix(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative when {@code a} is closer to this id than {@code b}, by the XOR metric. */
    int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    void writeTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
