package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Which pieces we want, how much, and which of them we still lack. Each piece has a {@link FilePriority}: the
 * highest of the files it carries bytes of ({@link FilePriority#ofPieces}); a {@link FilePriority#SKIP} piece is not
 * wanted. The download is complete when we have every wanted piece, whatever else we have or lack. Swarm thread
 * only.
 */
final class WantedPieces {
    private final int pieceCount;
    private final IntUnaryOperator pieceSize;
    private final FilePriority[] priority;
    /** By priority: the pieces of that priority we do not have. */
    private final PieceSet[] missing = new PieceSet[FilePriority.values().length];
    private final int[] missingCount = new int[FilePriority.values().length];
    private long wantedBytesLeft;

    /** Every piece {@link FilePriority#NORMAL}, none ours yet. */
    WantedPieces(int pieceCount, IntUnaryOperator pieceSize) {
        this.pieceCount = pieceCount;
        this.pieceSize = pieceSize;
        this.priority = new FilePriority[pieceCount];
        Arrays.fill(priority, FilePriority.NORMAL);
        set(priority.clone(), new PieceSet(pieceCount));
    }

    /** New priorities, one per piece; {@code have} are the pieces that are ours. */
    void set(FilePriority[] pieces, PieceSet have) {
        if (pieces.length != pieceCount) {
            throw new IllegalArgumentException(pieces.length + " piece priorities for " + pieceCount + " pieces");
        }
        System.arraycopy(pieces, 0, priority, 0, pieceCount);
        Arrays.fill(missingCount, 0);
        wantedBytesLeft = 0;
        for (FilePriority p : FilePriority.values()) {
            missing[p.ordinal()] = new PieceSet(pieceCount);
        }
        for (int piece = have.nextMissing(0); piece >= 0; piece = have.nextMissing(piece + 1)) {
            FilePriority p = priority[piece];
            missing[p.ordinal()].add(piece);
            missingCount[p.ordinal()]++;
            if (p.wanted()) {
                wantedBytesLeft += pieceSize.applyAsInt(piece);
            }
        }
    }

    FilePriority of(int piece) {
        return priority[piece];
    }

    boolean isWanted(int piece) {
        return priority[piece].wanted();
    }

    /** A piece became ours. */
    void verified(int piece) {
        FilePriority p = priority[piece];
        if (missing[p.ordinal()].has(piece)) {
            missing[p.ordinal()].remove(piece);
            missingCount[p.ordinal()]--;
            if (p.wanted()) {
                wantedBytesLeft -= pieceSize.applyAsInt(piece);
            }
        }
    }

    /** The pieces of this priority we lack. Not a copy: do not change it. */
    PieceSet missing(FilePriority p) {
        return missing[p.ordinal()];
    }

    int missingCount(FilePriority p) {
        return missingCount[p.ordinal()];
    }

    /** Whether we have every wanted piece. */
    boolean complete() {
        return missingCount(FilePriority.LOW) + missingCount(FilePriority.NORMAL) + missingCount(FilePriority.HIGH) == 0;
    }

    /** Whether {@code pieces} holds a wanted piece we lack. */
    boolean anyMissingIn(PieceSet pieces) {
        for (FilePriority p : FilePriority.WANTED_FIRST_TO_LAST) {
            if (missingCount(p) > 0 && missing(p).intersects(pieces)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of the wanted pieces we lack. */
    long bytesLeft() {
        return wantedBytesLeft;
    }
}
