package dev.jtorrent.swarm;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;

/** The swarm's view of one connected peer. Owned by the swarm thread; never touched by another. */
final class Peer {
    /** Requests in flight to one peer at most (libtorrent's cap), whatever its rate. */
    static final int MAX_REQUESTS = 500;
    /** Assumed request queue of a peer that does not say (BEP 10 {@code reqq}); libtorrent's default. */
    static final int DEFAULT_PEER_QUEUE = 250;
    /** Requests a new peer gets before its rate is known. */
    static final int INITIAL_REQUESTS = 32;
    /** Seconds of transfer the requests in flight should cover. */
    static final double PIPELINE_SECONDS = 2.0;

    final PeerConnection connection;
    final PieceSet pieces;
    final LinkedHashMap<BlockRef, Long> requests = new LinkedHashMap<>();
    final Set<Integer> allowedFast = new HashSet<>();
    final RateMeter download = new RateMeter();
    final RateMeter upload = new RateMeter();
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    boolean snubbed;
    int messages;
    int peerQueue = DEFAULT_PEER_QUEUE;
    /** When we last choked this peer, if we ever unchoked it; see {@link Uploads#request}. */
    long chokedNanos;
    boolean wasUnchoked;
    /** Requests it sent while choked, past the grace after our choke, since we last unchoked it. */
    int chokedRequests;
    /** Its requests that we have not sent yet, and the memory of the blocks on their way to it. */
    final UploadQueue uploads;
    /** libtorrent's trust score: +1 per good piece it helped with (up to 8), -2 per bad one; banned at -7. */
    int trust;
    long lastBlockNanos;
    long connectedNanos;
    /**
     * Slow start, as libtorrent's: until the rate is measured, the pipeline grows by one request for each block that
     * arrives, so it doubles every round trip while the peer keeps up. It ends once a second's download is no more
     * than the second's before. Without it the pipeline stayed at {@link #INITIAL_REQUESTS} for the rate meter's
     * first two seconds, in which a fast peer on a LAN delivers most of a gigabyte.
     */
    boolean slowStart = true;
    private int slowStartRequests = INITIAL_REQUESTS;
    private long bytesAtLastSecond;
    private long lastSecondBytes;
    /** When interest last changed on either side (or the connection began): idle since then if neither is. */
    long idleSinceNanos;

    Peer(PeerConnection connection, int pieceCount, long now) {
        this(connection, pieceCount, now, () -> { });
    }

    /** @param uploadRoom runs, on any thread, when blocks we send it hold fewer pieces after it had no room */
    Peer(PeerConnection connection, int pieceCount, long now, Runnable uploadRoom) {
        this.connection = connection;
        this.uploads = new UploadQueue(Swarm.MAX_QUEUED_UPLOADS, uploadRoom);
        this.pieces = new PieceSet(pieceCount);
        this.connectedNanos = now;
        this.lastBlockNanos = now;
        this.idleSinceNanos = now;
    }

    boolean supportsFast() {
        return connection.remote().supportsFast();
    }

    /** A block of ours arrived from this peer. */
    void blockReceived() {
        if (slowStart && slowStartRequests < MAX_REQUESTS) {
            slowStartRequests++;
        }
    }

    /** Once a second, after {@link #download} is updated: ends slow start once the rate stops growing. */
    void secondPassed() {
        long bytes = download.total() - bytesAtLastSecond;
        bytesAtLastSecond = download.total();
        if (slowStart && lastSecondBytes > 0 && bytes <= lastSecondBytes) {
            slowStart = false;
        }
        lastSecondBytes = bytes;
    }

    /**
     * How many requests to keep in flight: enough for {@link #PIPELINE_SECONDS} at the measured rate, and in slow
     * start as many as it has grown to.
     */
    int pipelineTarget() {
        int byRate = (int) (download.rate() * PIPELINE_SECONDS / BlockRef.SIZE);
        int target = Math.max(INITIAL_REQUESTS, slowStart ? Math.max(byRate, slowStartRequests) : byRate);
        return Math.min(target, Math.min(MAX_REQUESTS, peerQueue));
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
