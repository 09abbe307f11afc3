package dev.jtorrent.swarm;

import dev.jtorrent.wire.BlockRef;

/**
 * How many requests to keep in flight to one peer: slow start until its rate is known, then enough for
 * {@link #PIPELINE_SECONDS} at that rate, within the peer's own queue ({@code reqq}) and ours. Swarm thread only.
 *
 * <p>Slow start is libtorrent's: until the rate is measured, the pipeline grows by one request for each block that
 * arrives, so it doubles every round trip while the peer keeps up. It ends once a second's download is no more than
 * the second's before. Without it the pipeline stayed at {@link #INITIAL_REQUESTS} for the rate meter's first two
 * seconds, in which a fast peer on a LAN delivers most of a gigabyte.
 */
final class Pipeline {
    /** Requests in flight to one peer at most (libtorrent's cap), whatever its rate. */
    static final int MAX_REQUESTS = 500;
    /** Assumed request queue of a peer that does not say (BEP 10 {@code reqq}); libtorrent's default. */
    static final int DEFAULT_PEER_QUEUE = 250;
    /** Requests a new peer gets before its rate is known. */
    static final int INITIAL_REQUESTS = 32;
    /** Seconds of transfer the requests in flight should cover. */
    static final double PIPELINE_SECONDS = 2.0;

    private boolean slowStart = true;
    private int slowStartRequests = INITIAL_REQUESTS;
    private long bytesAtLastSecond;
    private long lastSecondBytes;
    private int peerQueue = DEFAULT_PEER_QUEUE;

    /** The peer's own request queue, as its extension handshake tells it (BEP 10 {@code reqq}). */
    void peerQueue(int requests) {
        peerQueue = Math.max(1, Math.min(requests, MAX_REQUESTS));
    }

    /** A block of ours arrived from this peer. */
    void blockReceived() {
        if (slowStart && slowStartRequests < MAX_REQUESTS) {
            slowStartRequests++;
        }
    }

    /**
     * Once a second, with the bytes downloaded from the peer so far: ends slow start once the rate stops growing.
     */
    void secondPassed(long downloaded) {
        long bytes = downloaded - bytesAtLastSecond;
        bytesAtLastSecond = downloaded;
        if (slowStart && lastSecondBytes > 0 && bytes <= lastSecondBytes) {
            slowStart = false;
        }
        lastSecondBytes = bytes;
    }

    boolean inSlowStart() {
        return slowStart;
    }

    /**
     * How many requests to keep in flight at {@code rate} bytes a second: enough for {@link #PIPELINE_SECONDS}, and
     * in slow start as many as it has grown to.
     */
    int target(double rate) {
        int byRate = (int) (rate * PIPELINE_SECONDS / BlockRef.SIZE);
        int target = Math.max(INITIAL_REQUESTS, slowStart ? Math.max(byRate, slowStartRequests) : byRate);
        return Math.min(target, Math.min(MAX_REQUESTS, peerQueue));
    }
}
