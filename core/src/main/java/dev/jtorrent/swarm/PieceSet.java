package dev.jtorrent.swarm;

import java.util.BitSet;

/**
 * A set of piece indexes with a fixed piece count: what a peer or we have. Converts to and from the wire's
 * bitfield (BEP 3: the high bit of the first byte is piece 0; spare bits at the end must be zero).
 */
public final class PieceSet {
    private final int pieceCount;
    private final BitSet bits;

    public PieceSet(int pieceCount) {
        this.pieceCount = pieceCount;
        this.bits = new BitSet(pieceCount);
    }

    private PieceSet(int pieceCount, BitSet bits) {
        this.pieceCount = pieceCount;
        this.bits = bits;
    }

    public static PieceSet all(int pieceCount) {
        PieceSet set = new PieceSet(pieceCount);
        set.bits.set(0, pieceCount);
        return set;
    }

    /**
     * Reads a wire bitfield; refuses one of the wrong length or with spare bits set, as BEP 3 requires.
     *
     * @throws IllegalArgumentException with a one-sentence reason
     */
    public static PieceSet fromBitfield(byte[] bitfield, int pieceCount) {
        int expected = (pieceCount + 7) / 8;
        if (bitfield.length != expected) {
            throw new IllegalArgumentException("bitfield of " + bitfield.length + " bytes, expected " + expected);
        }
        BitSet bits = new BitSet(pieceCount);
        for (int i = 0; i < bitfield.length * 8; i++) {
            if ((bitfield[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                if (i >= pieceCount) {
                    throw new IllegalArgumentException("bitfield has spare bits set");
                }
                bits.set(i);
            }
        }
        return new PieceSet(pieceCount, bits);
    }

    public byte[] toBitfield() {
        byte[] bytes = new byte[(pieceCount + 7) / 8];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            bytes[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return bytes;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public boolean has(int piece) {
        return bits.get(piece);
    }

    public void add(int piece) {
        checkIndex(piece);
        bits.set(piece);
    }

    public void remove(int piece) {
        checkIndex(piece);
        bits.clear(piece);
    }

    public int count() {
        return bits.cardinality();
    }

    public boolean isComplete() {
        return bits.cardinality() == pieceCount;
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** The next index at or after {@code from} in the set, or -1. */
    public int next(int from) {
        return bits.nextSetBit(from);
    }

    /** The next index at or after {@code from} not in the set, or -1 if none below the piece count. */
    public int nextMissing(int from) {
        int i = bits.nextClearBit(from);
        return i < pieceCount ? i : -1;
    }

    /** Whether {@code other} has a piece this set lacks. */
    public boolean lacksAnyOf(PieceSet other) {
        BitSet missing = (BitSet) other.bits.clone();
        missing.andNot(bits);
        return !missing.isEmpty();
    }

    /** Whether this set and {@code other} have a piece in common. */
    public boolean intersects(PieceSet other) {
        return bits.intersects(other.bits);
    }

    /** Adds every piece of {@code other}, a set of as many pieces. */
    public void addAll(PieceSet other) {
        checkSameCount(other);
        bits.or(other.bits);
    }

    /** Keeps only the pieces {@code other}, a set of as many pieces, also has. */
    public void retainAll(PieceSet other) {
        checkSameCount(other);
        bits.and(other.bits);
    }

    private void checkSameCount(PieceSet other) {
        if (other.pieceCount != pieceCount) {
            throw new IllegalArgumentException("sets of " + other.pieceCount + " and " + pieceCount + " pieces");
        }
    }

    public PieceSet copy() {
        return new PieceSet(pieceCount, (BitSet) bits.clone());
    }

    private void checkIndex(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
    }

    @Override
    public String toString() {
        return count() + "/" + pieceCount;
    }
}
