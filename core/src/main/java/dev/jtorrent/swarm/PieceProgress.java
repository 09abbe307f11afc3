package dev.jtorrent.swarm;

import dev.jtorrent.wire.BlockRef;

/**
 * The blocks of one piece being downloaded: which are open, requested (and from how many peers) or received.
 * Owned by the picker; not thread-safe.
 */
final class PieceProgress {
    private static final byte OPEN = 0;
    private static final byte REQUESTED = 1;
    private static final byte RECEIVED = 2;

    final int piece;
    final int length;
    final Object owner;
    private final byte[] state;
    private final short[] requesters;
    private int open;
    private int received;

    PieceProgress(int piece, int length, Object owner) {
        this.piece = piece;
        this.length = length;
        this.owner = owner;
        int blocks = (length + BlockRef.SIZE - 1) / BlockRef.SIZE;
        this.state = new byte[blocks];
        this.requesters = new short[blocks];
        this.open = blocks;
    }

    int blockCount() {
        return state.length;
    }

    BlockRef block(int index) {
        int begin = index * BlockRef.SIZE;
        return new BlockRef(piece, begin, Math.min(BlockRef.SIZE, length - begin));
    }

    boolean hasOpenBlocks() {
        return open > 0;
    }

    boolean isOpen(int index) {
        return state[index] == OPEN;
    }

    boolean isReceived(int index) {
        return state[index] == RECEIVED;
    }

    int requesters(int index) {
        return requesters[index];
    }

    void requested(int index) {
        if (state[index] == OPEN) {
            state[index] = REQUESTED;
            open--;
        }
        requesters[index]++;
    }

    /** A request for the block ended without data (cancelled, rejected, timed out, peer gone). */
    void dropped(int index) {
        if (requesters[index] > 0) {
            requesters[index]--;
        }
        if (state[index] == REQUESTED && requesters[index] == 0) {
            state[index] = OPEN;
            open++;
        }
    }

    /** Returns false if the block had already been received (a duplicate in endgame). */
    boolean received(int index) {
        if (state[index] == RECEIVED) {
            return false;
        }
        if (state[index] == OPEN) {
            open--;
        }
        state[index] = RECEIVED;
        received++;
        return true;
    }

    boolean isComplete() {
        return received == state.length;
    }
}
