package dev.jtorrent.swarm;

import java.util.Arrays;

/**
 * A torrent's info dictionary exactly as encoded, for serving to peers that came with a magnet link alone (BEP 9);
 * {@link #NONE} when the swarm has none to serve. Immutable.
 */
public final class TorrentMetadata {
    /** Nothing to serve. */
    public static final TorrentMetadata NONE = new TorrentMetadata(new byte[0]);

    private final byte[] infoBytes;

    private TorrentMetadata(byte[] infoBytes) {
        this.infoBytes = infoBytes;
    }

    /** The info dictionary {@code infoBytes}, copied: {@code Torrent.infoBytes()}, whose SHA-1 is the info hash. */
    public static TorrentMetadata of(byte[] infoBytes) {
        if (infoBytes.length == 0) {
            throw new IllegalArgumentException("an info dictionary is never empty");
        }
        return new TorrentMetadata(infoBytes.clone());
    }

    /** Whether there is an info dictionary to serve. */
    public boolean present() {
        return infoBytes.length > 0;
    }

    /** Its size in bytes; 0 for {@link #NONE}. */
    public int size() {
        return infoBytes.length;
    }

    /** A copy of {@code length} bytes from {@code offset}. */
    byte[] copy(int offset, int length) {
        return Arrays.copyOfRange(infoBytes, offset, offset + length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorrentMetadata other && Arrays.equals(other.infoBytes, infoBytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(infoBytes);
    }

    @Override
    public String toString() {
        return "TorrentMetadata[" + infoBytes.length + " bytes]";
    }
}
