package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.Message;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The uploading half of a swarm: who is unchoked (the {@link Choker}'s decision every 10 seconds, plus a free
 * slot given at once to a newly interested peer, and a rechoke at once when a peer holding a slot leaves or loses
 * interest), and serving requests from disk. Requests are checked against what we have and the piece bounds, capped
 * per peer ({@link Swarm#MAX_QUEUED_UPLOADS}) and rejected (BEP 6) when refused. Under an {@link UploadLimit},
 * blocks read for peers wait, still counted among their peer's queued requests, until the limit lets them go
 * ({@link #sendDeferred}): one block of each waiting peer in turn, so that a peer with many requests queued does
 * not take the whole limit from one with few. Swarm thread only.
 */
final class Uploads {
    /** Requests a choked peer may send (after {@link #CHOKE_GRACE_NANOS}) before it is closed; libtorrent's 50. */
    static final int MAX_CHOKED_REQUESTS = 50;
    /** After we choke a peer, its requests already on the way are not held against it; libtorrent allows 2 s. */
    static final long CHOKE_GRACE_NANOS = 2_000_000_000L;

    private final Choker<PeerConnection> choker;
    private final int slots;
    private final InfoDictionary info;
    private final PiecePicker picker;
    /** The pieces we offer; the swarm adds each once it is written. */
    private final PieceSet shared;
    private final DiskWork disk;
    private final RateMeter rate;
    private final UploadLimit limit;
    /** Blocks read and waiting for the limit, oldest first, for each peer that has any. */
    private final Map<Peer, ArrayDeque<Deferred>> deferred = new HashMap<>();
    /** The peers in {@link #deferred}, in the order their next block goes. */
    private final ArrayDeque<Peer> turns = new ArrayDeque<>();
    private int deferredBlocks;

    private record Deferred(BlockRef block, ReadCache.Lent data) {
    }

    Uploads(int slots, RandomGenerator random, InfoDictionary info, PiecePicker picker, PieceSet shared,
            DiskWork disk, RateMeter rate, UploadLimit limit) {
        this.choker = new Choker<>(slots, random);
        this.slots = slots;
        this.info = info;
        this.picker = picker;
        this.shared = shared;
        this.disk = disk;
        this.rate = rate;
        this.limit = limit;
    }

    /** A peer became interested: unchoke it now if a regular slot is free, not only at the next rechoke. */
    void interested(Peer peer, Collection<Peer> all) {
        if (!peer.amChoking || shared.isEmpty()) {
            return;
        }
        long unchoked = all.stream().filter(p -> !p.amChoking).count();
        if (unchoked < slots) {
            unchoke(peer);
        }
    }

    /**
     * A peer lost interest: it is choked, and if it held a slot, the choker runs at once so that the slot goes to a
     * peer waiting for one rather than idle until the next rechoke (libtorrent does the same).
     */
    void notInterested(Peer peer, Collection<Peer> all, long now) {
        if (!peer.amChoking) {
            choke(peer);
            rechoke(now, all);
        }
    }

    /**
     * A peer left; a slot it held goes at once to a peer waiting for one, as in {@link #notInterested}, and the
     * blocks waiting for the limit on its behalf give their memory back.
     */
    void left(Peer peer, Collection<Peer> remaining, long now) {
        ArrayDeque<Deferred> waiting = deferred.remove(peer);
        if (waiting != null) {
            turns.remove(peer);
            deferredBlocks -= waiting.size();
            waiting.forEach(block -> block.data().release());
        }
        if (!peer.amChoking) {
            rechoke(now, remaining);
        }
    }

    /** Every tick; the choker decides whether a rechoke is due. */
    void rechokeIfDue(long now, Collection<Peer> all) {
        if (choker.due(now)) {
            rechoke(now, all);
        }
    }

    /** Runs the choker now (it is built to be run early: its turns are measured in time, not in calls). */
    private void rechoke(long now, Collection<Peer> all) {
        List<Choker.Candidate<PeerConnection>> candidates = new ArrayList<>(all.size());
        for (Peer peer : all) {
            candidates.add(new Choker.Candidate<>(peer.connection, peer.peerInterested, peer.snubbed,
                    peer.download.rate(), peer.connectedNanos));
        }
        Set<PeerConnection> unchoked = choker.rechoke(now, candidates, picker.isComplete());
        for (Peer peer : all) {
            boolean wanted = unchoked.contains(peer.connection) && !shared.isEmpty();
            if (wanted && peer.amChoking) {
                unchoke(peer);
            } else if (!wanted && !peer.amChoking) {
                choke(peer);
            }
        }
    }

    /**
     * A request: served from the read cache or the disk, or rejected (BEP 6) if we are choking the peer, do not have
     * the piece, or have {@link Swarm#MAX_QUEUED_UPLOADS} of its requests queued already. A peer that goes on
     * requesting while choked is closed (libtorrent's {@code max_rejects}): every such request costs a reject queued
     * for it, and a choked peer that floods requests and reads nothing would fill its send queue with them.
     */
    void request(Peer peer, BlockRef block, long now) {
        if (peer.amChoking && keepsRequestingWhileChoked(peer, now)) {
            peer.connection.close("protocol violation: it kept sending requests while choked");
            return;
        }
        boolean valid = block.begin() + (long) block.length() <= info.pieceSize(block.piece())
                && shared.has(block.piece());
        if (peer.amChoking || !valid || peer.uploadsQueued.size() >= Swarm.MAX_QUEUED_UPLOADS
                || !peer.uploadsQueued.add(block)) {
            if (peer.supportsFast()) {
                peer.connection.send(new Message.Reject(block.piece(), block.begin(), block.length()));
            }
            return;
        }
        ReadCache.Lent cached = disk.cachedBlock(block);
        if (cached != null) {
            ready(peer, block, cached);
        } else {
            disk.readForUpload(peer.connection, block);
        }
    }

    /** A cancel (BEP 3): the block is not sent if it has not gone yet. */
    void cancelled(Peer peer, BlockRef block) {
        peer.uploadsQueued.remove(block);
    }

    /**
     * The data of a request was read; sent now, or when the upload limit lets it go, unless the peer cancelled it or
     * was choked meanwhile. The connection releases the lent block once it is written; a block not sent is released
     * here.
     */
    void ready(Peer peer, BlockRef block, ReadCache.Lent data) {
        if (deferredBlocks > 0 || limit.nanosUntilAvailable(System.nanoTime()) > 0) {
            deferred.computeIfAbsent(peer, p -> {
                turns.add(p);
                return new ArrayDeque<>();
            }).add(new Deferred(block, data));
            deferredBlocks++;
            return;
        }
        send(peer, block, data);
    }

    /**
     * Sends the blocks waiting for the limit that it lets go now, and returns the nanoseconds until the next may go
     * ({@link Long#MAX_VALUE} when none waits).
     */
    long sendDeferred(long now) {
        while (deferredBlocks > 0) {
            long wait = limit.nanosUntilAvailable(now);
            if (wait > 0) {
                return wait;
            }
            Peer peer = turns.poll();
            ArrayDeque<Deferred> waiting = deferred.get(peer);
            Deferred next = waiting.poll();
            deferredBlocks--;
            if (waiting.isEmpty()) {
                deferred.remove(peer);
            } else {
                turns.add(peer);
            }
            send(peer, next.block(), next.data());
        }
        return Long.MAX_VALUE;
    }

    /** Sends a block the limit lets go; only a block sent counts against it, not one cancelled or choked meanwhile. */
    private void send(Peer peer, BlockRef block, ReadCache.Lent data) {
        if (!peer.uploadsQueued.remove(block) || peer.amChoking) {
            data.release(); // cancelled, or choked meanwhile
            return;
        }
        limit.spent(block.length());
        peer.upload.add(block.length());
        rate.add(block.length());
        peer.connection.send(new Message.Piece(block.piece(), block.begin(), data.data()), data::release);
    }

    /**
     * The data of a request could not be sent (a corrupt piece taken on trust, or no memory for it now): reject it
     * (BEP 6).
     */
    void refused(Peer peer, BlockRef block) {
        if (peer.uploadsQueued.remove(block) && peer.supportsFast()) {
            peer.connection.send(new Message.Reject(block.piece(), block.begin(), block.length()));
        }
    }

    /** Past the grace after our choke (none if we never unchoked it), each request counts; too many, it goes. */
    private static boolean keepsRequestingWhileChoked(Peer peer, long now) {
        if (peer.wasUnchoked && now - peer.chokedNanos <= CHOKE_GRACE_NANOS) {
            return false;
        }
        return ++peer.chokedRequests > MAX_CHOKED_REQUESTS;
    }

    private void unchoke(Peer peer) {
        peer.amChoking = false;
        peer.wasUnchoked = true;
        peer.chokedRequests = 0;
        peer.connection.send(new Message.Unchoke());
    }

    private void choke(Peer peer) {
        peer.amChoking = true;
        peer.chokedNanos = System.nanoTime();
        peer.connection.send(new Message.Choke());
    }
}
