package dev.jtorrent.wire;

/**
 * A block of a piece: what one {@code request} asks for.
 *
 * @param piece  the piece index
 * @param begin  the offset of the block in the piece
 * @param length the block's length: {@link #SIZE} except for the last block of a short piece
 */
public record BlockRef(int piece, int begin, int length) {
    /** 16 KiB, the block size every client requests and the largest most clients serve. */
    public static final int SIZE = 16 * 1024;

    public BlockRef {
        if (piece < 0 || begin < 0 || length <= 0) {
            throw new IllegalArgumentException("invalid block " + piece + "/" + begin + "/" + length);
        }
    }

    /** The block's position within its piece, counted in blocks. */
    public int index() {
        return begin / SIZE;
    }
}
