package dev.jtorrent.swarm;

import java.nio.ByteBuffer;

/**
 * A torrent's info dictionary exactly as encoded, for serving to peers that came with a magnet link alone (BEP 9);
 * {@link #NONE} when the swarm has none to serve. Immutable.
 */
public final class TorrentMetadata {
    /** Nothing to serve. */
    public static final TorrentMetadata NONE = new TorrentMetadata(ByteBuffer.allocate(0).asReadOnlyBuffer());

    /** Read-only, from position 0 to its limit. */
    private final ByteBuffer info;

    private TorrentMetadata(ByteBuffer info) {
        this.info = info;
    }

    /** The info dictionary {@code infoBytes}, copied: {@code Torrent.infoBytes()}, whose SHA-1 is the info hash. */
    public static TorrentMetadata of(byte[] infoBytes) {
        return of(ByteBuffer.wrap(infoBytes.clone()).asReadOnlyBuffer());
    }

    /**
     * The info dictionary in the remaining bytes of {@code info}, shared rather than copied: {@code
     * Torrent.infoBuffer()}, so that a running torrent holds its dictionary once, in its {@code Torrent}.
     */
    public static TorrentMetadata of(ByteBuffer info) {
        if (!info.hasRemaining()) {
            throw new IllegalArgumentException("an info dictionary is never empty");
        }
        return new TorrentMetadata(info.slice().asReadOnlyBuffer());
    }

    /** Whether there is an info dictionary to serve. */
    public boolean present() {
        return info.limit() > 0;
    }

    /** Its size in bytes; 0 for {@link #NONE}. */
    public int size() {
        return info.limit();
    }

    /** A copy of {@code length} bytes from {@code offset}. */
    byte[] copy(int offset, int length) {
        byte[] bytes = new byte[length];
        info.get(offset, bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorrentMetadata other && other.info.equals(info);
    }

    @Override
    public int hashCode() {
        return info.hashCode();
    }

    @Override
    public String toString() {
        return "TorrentMetadata[" + info.limit() + " bytes]";
    }
}
