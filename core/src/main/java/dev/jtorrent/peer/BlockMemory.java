package dev.jtorrent.peer;

import java.nio.ByteBuffer;

/**
 * Where a connection puts the piece data it reads: the memory of the pieces being downloaded, which the swarm owns.
 * A block is claimed before it is read and marked written once read in full, so a block is copied once, straight
 * from the socket into its piece, and two peers sending the same block cannot both write it. Any thread.
 */
public interface BlockMemory {
    /** Memory for a connection that downloads nothing (yet): every block it is sent is dropped. */
    BlockMemory NONE = new BlockMemory() {
        @Override
        public ByteBuffer claim(Object writer, int piece, int begin, int length) {
            return null;
        }

        @Override
        public void written(int piece, int begin) {
        }

        @Override
        public void abandon(int piece, int begin) {
        }
    };

    /**
     * Claims the destination of a block for {@code writer}, or returns null when the data is not wanted: no memory is
     * open for the piece, the block is not on the block grid, or another peer has it.
     */
    ByteBuffer claim(Object writer, int piece, int begin, int length);

    /** The claimed block has been read in full. */
    void written(int piece, int begin);

    /** The claimed block could not be read (the connection failed mid-block): it is free for another peer. */
    void abandon(int piece, int begin);
}
