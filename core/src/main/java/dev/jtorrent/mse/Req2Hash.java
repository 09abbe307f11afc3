package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * HASH('req2', SKEY) for a torrent: how an MSE initiator names the torrent it wants without sending its info hash in
 * the clear (it sends this XOR HASH('req3', S)). A session keeps a map from these to its torrents, so an incoming
 * handshake finds its torrent in O(1) instead of hashing every torrent's info hash per connection.
 */
public final class Req2Hash {
    private final byte[] bytes;

    private Req2Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The req2 hash of {@code infoHash}. */
    public static Req2Hash of(InfoHash infoHash) {
        return new Req2Hash(StreamKeys.hash(StreamKeys.REQ2, infoHash.bytes()));
    }

    /** The req2 hash whose 20 bytes are {@code bytes}. */
    static Req2Hash ofBytes(byte[] bytes) {
        return new Req2Hash(bytes.clone());
    }

    byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Req2Hash other && Arrays.equals(other.bytes, bytes);
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
