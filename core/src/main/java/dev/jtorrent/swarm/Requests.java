package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;

import java.util.function.BooleanSupplier;

/**
 * The downloading half of a swarm: what to request from whom, endgame and snubbing. Requests go out in batches, as
 * many as each peer's {@link Pipeline} allows; in endgame a block already asked of others is asked of a peer only
 * once its own queue is empty, and cancelled elsewhere when it arrives; a peer that delivers nothing for the request
 * timeout is snubbed, and its requests go to others. Swarm thread only.
 */
final class Requests {
    private final PiecePicker picker;
    private final PieceBuffers buffers;
    private final Peers peers;
    private final Totals totals;
    private final int pieceCount;
    private final long timeoutNanos;
    private final NanoClock clock;
    /** Whether the swarm may download now: not while paused by a full disk, nor after a failure. */
    private final BooleanSupplier mayDownload;

    Requests(PiecePicker picker, PieceBuffers buffers, Peers peers, Totals totals, int pieceCount,
             long timeoutNanos, NanoClock clock, BooleanSupplier mayDownload) {
        this.picker = picker;
        this.buffers = buffers;
        this.peers = peers;
        this.totals = totals;
        this.pieceCount = pieceCount;
        this.timeoutNanos = timeoutNanos;
        this.clock = clock;
        this.mayDownload = mayDownload;
    }

    /** Tops up the requests in flight to {@code peer}, if it has something we want and we may ask now. */
    void request(Peer peer) {
        if (!peer.amInterested || !mayDownload.getAsBoolean() || peer.snubbed) {
            return;
        }
        PieceSet candidates = peer.pieces;
        if (peer.peerChoking) {
            if (peer.allowedFast.isEmpty()) {
                return;
            }
            candidates = new PieceSet(pieceCount);
            for (int piece : peer.allowedFast) {
                if (peer.pieces.has(piece)) {
                    candidates.add(piece);
                }
            }
        }
        int target = peer.pipelineTarget();
        int room = target - peer.requests.size();
        // Top the pipeline up in batches: one write of many requests costs the writer thread and the kernel far
        // less than a write per arriving block, and a quarter of the pipeline is still in flight meanwhile.
        if (room <= 0 || (room < target / 4 && !peer.requests.isEmpty())) {
            return;
        }
        // In endgame a peer is given blocks already asked of others only once its own queue has run dry (as in
        // libtorrent): the peer that finishes first takes over the stragglers, and a single fast peer does not make
        // every arriving block scan all the blocks in flight for nothing.
        if (!peer.requests.isEmpty() && picker.isEndgame()) {
            return;
        }
        long now = clock.nanoTime();
        // A new piece starts only with memory for it from the session's budget of pieces in flight.
        for (BlockRef block : picker.pick(peer, candidates, room, peer.requests::containsKey,
                piece -> buffers.reserve(now))) {
            buffers.open(block.piece());
            peer.requests.put(block, now);
            peer.connection.send(new Message.Request(block.piece(), block.begin(), block.length()));
        }
    }

    void requestFromAll() {
        for (Peer peer : peers.all()) {
            request(peer);
        }
    }

    /**
     * A block arrived from the peer on {@code connection} ({@code accepted} if its data went into its piece); returns
     * whether it completed its piece, which is then to be verified.
     */
    boolean blockArrived(PeerConnection connection, BlockRef block, boolean accepted) {
        Peer peer = peers.get(connection);
        Long sent = peer == null ? null : peer.requests.remove(block);
        if (!accepted) {
            totals.wasted(block.length());
            if (sent != null) {
                // Asked of this peer but its data could not be taken (the piece was reset meanwhile): ask again,
                // or the block would stay "requested" from nobody until endgame.
                picker.requestDropped(block);
            }
            if (peer != null) {
                request(peer);
            }
            return false;
        }
        if (peer != null) {
            peer.blockReceived(block.length(), clock.nanoTime());
        }
        totals.down.add(block.length());
        if (sent == null && peer != null) {
            // Asked of this peer, then given up on (snubbed, choked, cancelled in endgame), and still wanted: keep
            // it, and treat it like an answered request. Data never asked of this peer does not get this far.
            picker.requestDropped(block);
        }
        boolean pieceDone = picker.blockReceived(block);
        if (picker.isEndgame()) {
            cancelElsewhere(block, peer);
        }
        if (peer != null) {
            request(peer);
        }
        return pieceDone;
    }

    /** Endgame: the block arrived, so the same request to other peers is cancelled. */
    private void cancelElsewhere(BlockRef block, Peer receiver) {
        for (Peer other : peers.all()) {
            if (other != receiver && other.requests.remove(block) != null) {
                picker.requestDropped(block);
                other.connection.send(new Message.Cancel(block.piece(), block.begin(), block.length()));
            }
        }
    }

    /** Snubs a peer that has delivered nothing of what we asked for the request timeout. */
    void snubIfSilent(Peer peer, long now) {
        if (!peer.requests.isEmpty() && now - peer.lastBlockNanos > timeoutNanos && !peer.snubbed) {
            // Snubbed: its requests go to others; it gets new ones once it delivers again.
            peer.snubbed = true;
            dropRequests(peer);
        }
    }

    /** Takes back every request in flight to a peer, so that others can be asked, and tells it when it listens. */
    void dropRequests(Peer peer) {
        for (BlockRef block : peer.requests.keySet()) {
            picker.requestDropped(block);
            if (peer.supportsFast()) {
                peer.connection.send(new Message.Cancel(block.piece(), block.begin(), block.length()));
            }
        }
        peer.requests.clear();
    }

    /** Takes back the requests of every peer: downloading pauses. */
    void dropAll() {
        for (Peer peer : peers.all()) {
            dropRequests(peer);
        }
    }

    /** The peer choked us: without the fast extension that discards every request in flight (BEP 3). */
    void choked(Peer peer) {
        if (!peer.supportsFast()) {
            forget(peer);
        }
    }

    /** The peer rejected a request (BEP 6): another peer may be asked. */
    void rejected(Peer peer, BlockRef block) {
        if (peer.requests.remove(block) != null) {
            picker.requestDropped(block);
        }
    }

    /** Forgets the requests in flight to a peer that dropped them, or left, without telling it. */
    void forget(Peer peer) {
        peer.requests.keySet().forEach(picker::requestDropped);
        peer.requests.clear();
    }
}
