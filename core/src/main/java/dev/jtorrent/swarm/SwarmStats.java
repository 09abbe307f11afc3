package dev.jtorrent.swarm;

/**
 * A snapshot of one torrent's transfer, published by the swarm thread about once a second.
 *
 * @param downloaded  payload bytes received and accepted this session
 * @param uploaded    payload bytes sent this session
 * @param wasted      payload bytes received but dropped (duplicates, unrequested) or in pieces that failed
 * @param downRate    payload bytes per second received, recently
 * @param upRate      payload bytes per second sent, recently
 * @param peers       connected peers
 * @param knownPeers  peer addresses known
 * @param havePieces  pieces verified and forced to disk
 * @param pieceCount  pieces in the torrent
 * @param bytesLeft   bytes still missing
 * @param complete    every piece verified on disk
 * @param state       whether it downloads, is paused by a full disk, or was stopped by a disk error
 */
public record SwarmStats(long downloaded, long uploaded, long wasted, double downRate, double upRate, int peers,
                         int knownPeers, int havePieces, int pieceCount, long bytesLeft, boolean complete,
                         SwarmState state) {
    public SwarmStats {
        if (state == null) {
            throw new IllegalArgumentException("a swarm's statistics need its state");
        }
    }

    public static SwarmStats initial(int havePieces, int pieceCount, long bytesLeft) {
        return new SwarmStats(0, 0, 0, 0, 0, 0, 0, havePieces, pieceCount, bytesLeft,
                havePieces == pieceCount, SwarmState.RUNNING);
    }

    /** Why downloading stopped, if it did (a disk error), else null. */
    public String error() {
        return state instanceof SwarmState.Failed failed ? failed.reason() : null;
    }

    /** Why downloading is paused, if it is (a full disk, retried until space is freed), else null. */
    public String paused() {
        return state instanceof SwarmState.Paused paused ? paused.reason() : null;
    }
}
