package dev.jtorrent.swarm;

/** What one torrent's swarm moved this session, over all its peers: rates, totals and waste. Swarm thread only. */
final class Totals {
    final RateMeter down = new RateMeter();
    final RateMeter up = new RateMeter();
    /** Payload bytes received but dropped (duplicates, unrequested) or in pieces that failed or were not written. */
    private long wasted;

    void wasted(long bytes) {
        wasted += bytes;
    }

    long wasted() {
        return wasted;
    }

    /** Counts as uploaded what the peer's writer has written to its socket since the last count. */
    void countUploaded(Peer peer) {
        long written = peer.connection.takePayloadWritten();
        peer.upload.add(written);
        up.add(written);
    }
}
