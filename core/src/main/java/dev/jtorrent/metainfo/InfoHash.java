package dev.jtorrent.metainfo;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A BitTorrent v1 info hash: the SHA-1 of the bencoded info dictionary, exactly as it appears in the metainfo file
 * (BEP 3). It names a torrent in announces, handshakes and magnet links.
 */
public final class InfoHash {
    public static final int LENGTH = 20;

    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** An info hash from its 20 raw bytes. */
    public static InfoHash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an info hash has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** An info hash from 40 hexadecimal digits, either case. */
    public static InfoHash fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an info hash has " + 2 * LENGTH + " hex digits, not " + hex.length());
        }
        try {
            return new InfoHash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hexadecimal info hash: " + hex, e);
        }
    }

    /** A copy of the 20 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The 40 lower-case hexadecimal digits. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
