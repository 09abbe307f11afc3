package dev.jtorrent.swarm;

import java.io.IOException;

/**
 * Where a swarm records the pieces that are ours, so that a restart need not check them again: resume data. The
 * swarm records only pieces already forced to disk, after the force, so a record never claims a piece that a power
 * cut can take away.
 */
@FunctionalInterface
public interface PieceRecorder {
    /** Records nothing: every start checks the data. */
    PieceRecorder NONE = (sequence, pieces) -> {
    };

    /**
     * Records {@code pieces}, a snapshot the recorder may keep. Called on the disk pool, and for the last time on
     * the swarm's thread as it stops; a call may overtake an earlier one, and the higher {@code sequence} is the
     * newer snapshot.
     */
    void record(long sequence, PieceSet pieces) throws IOException;
}
