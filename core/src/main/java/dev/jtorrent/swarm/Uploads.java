package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.BlockRef;
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
 * per peer ({@link #MAX_QUEUED_UPLOADS}) and rejected (BEP 6) when refused.
 *
 * <p>A peer's requests are served in the order they came, as far as the memory it may hold allows (see
 * {@link UploadQueue}): the pieces its blocks hold between their read and their write to its socket are at most
 * {@link #memoryAllowance its allowance}, from {@link #MIN_PEER_MEMORY} for a peer that reads nothing up to
 * {@link #MAX_PEER_MEMORY} for one that takes a second's worth at its rate. A peer whose writer has been stuck for
 * {@link PeerConnection#SEND_STALL_NANOS} is choked and gets no slot until it reads again, so that peers which never
 * read cost only their own share and not the slots of those that do.
 *
 * <p>Under an {@link UploadLimit}, blocks read for peers wait, still counted among their peer's queued requests,
 * until the limit lets them go ({@link #sendDeferred}): one block of each waiting peer in turn, so that a peer with
 * many requests queued does not take the whole limit from one with few. Swarm thread only.
 */
final class Uploads {
    /**
     * Uploads waiting for the disk for one peer at most, told to peers as {@code reqq}; requests past this are
     * rejected (BEP 6) or dropped. libtorrent and Transmission take 2000. At 500 a libtorrent leecher kept only
     * 8 MiB of requests in flight and downloaded from us at about 0.7x its speed from a libtorrent seeder.
     */
    static final int MAX_QUEUED_UPLOADS = 2000;
    /**
     * Memory the blocks on their way to one peer may hold at least (or two pieces, if more): what a peer that reads
     * nothing can keep from the others. Well under the {@link DiskWork#READ_CACHE_BYTES} that all peers share.
     */
    static final long MIN_PEER_MEMORY = 4L * 1024 * 1024;
    /** ... and at most, for a peer that takes a second's worth at its rate. */
    static final long MAX_PEER_MEMORY = 16L * 1024 * 1024;

    private final Choker<PeerConnection> choker;
    private final int slots;
    private final InfoDictionary info;
    private final PiecePicker picker;
    /** The pieces we offer; the swarm adds each once it is written. */
    private final PieceSet shared;
    private final DiskWork disk;
    private final UploadLimit limit;
    private final NanoClock clock;
    /** Blocks read and waiting for the limit, oldest first, for each peer that has any. */
    private final Map<Peer, ArrayDeque<Deferred>> deferred = new HashMap<>();
    /** The peers in {@link #deferred}, in the order their next block goes. */
    private final ArrayDeque<Peer> turns = new ArrayDeque<>();
    private int deferredBlocks;

    private record Deferred(BlockRef block, ReadCache.Lent data) {
    }

    Uploads(int slots, RandomGenerator random, InfoDictionary info, PiecePicker picker, PieceSet shared,
            DiskWork disk, UploadLimit limit, NanoClock clock) {
        this.choker = new Choker<>(slots, random);
        this.slots = slots;
        this.info = info;
        this.picker = picker;
        this.shared = shared;
        this.disk = disk;
        this.limit = limit;
        this.clock = clock;
    }

    /** A peer became interested: unchoke it now if a regular slot is free, not only at the next rechoke. */
    void interested(Peer peer, Collection<Peer> all) {
        if (!peer.choking.isChoking() || shared.isEmpty() || peer.connection.sendStalled(clock.nanoTime())) {
            return;
        }
        long unchoked = all.stream().filter(p -> !p.choking.isChoking()).count();
        if (unchoked < slots) {
            unchoke(peer);
        }
    }

    /**
     * A peer lost interest: it is choked, and if it held a slot, the choker runs at once so that the slot goes to a
     * peer waiting for one rather than idle until the next rechoke (libtorrent does the same).
     */
    void notInterested(Peer peer, Collection<Peer> all, long now) {
        if (!peer.choking.isChoking()) {
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
            waiting.forEach(block -> {
                block.data().release();
                peer.uploads.finished(block.block());
            });
        }
        if (!peer.choking.isChoking()) {
            rechoke(now, remaining);
        }
    }

    /**
     * Every tick: chokes the peers whose writer is stuck (their slot goes to another at once), and runs the choker
     * when a rechoke is due.
     */
    void tick(long now, Collection<Peer> all) {
        boolean slotFreed = false;
        for (Peer peer : all) {
            if (!peer.choking.isChoking() && peer.connection.sendStalled(now)) {
                choke(peer);
                slotFreed = true;
            }
        }
        if (slotFreed || choker.due(now)) {
            rechoke(now, all);
        }
    }

    /** Runs the choker now (it is built to be run early: its turns are measured in time, not in calls). */
    private void rechoke(long now, Collection<Peer> all) {
        List<Choker.Candidate<PeerConnection>> candidates = new ArrayList<>(all.size());
        for (Peer peer : all) {
            // A peer that does not take what we send cannot use a slot until it reads again.
            boolean wants = peer.peerInterested && !peer.connection.sendStalled(now);
            candidates.add(new Choker.Candidate<>(peer.connection, wants, peer.snubbed, peer.download.rate(),
                    peer.connectedNanos));
        }
        Set<PeerConnection> unchoked = choker.rechoke(now, candidates, picker.isComplete());
        for (Peer peer : all) {
            boolean wanted = unchoked.contains(peer.connection) && !shared.isEmpty();
            if (wanted && peer.choking.isChoking()) {
                unchoke(peer);
            } else if (!wanted && !peer.choking.isChoking()) {
                choke(peer);
            }
        }
    }

    /**
     * A request: queued and served in turn (see {@link #serve}), or rejected (BEP 6) if we are choking the peer, do
     * not have the piece, or have {@link #MAX_QUEUED_UPLOADS} of its requests queued already. A peer that goes
     * on requesting while choked is closed (libtorrent's {@code max_rejects}): every such request costs a reject
     * queued for it, and a choked peer that floods requests and reads nothing would fill its send queue with them.
     */
    void request(Peer peer, BlockRef block, long now) {
        if (peer.choking.isChoking() && peer.choking.tooManyRequestsWhileChoked(now)) {
            peer.connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION,
                    "it kept sending requests while choked"));
            return;
        }
        boolean valid = block.begin() + (long) block.length() <= info.pieceSize(block.piece())
                && shared.has(block.piece());
        if (peer.choking.isChoking() || !valid || !peer.uploads.add(block)) {
            reject(peer, block);
            return;
        }
        serve(peer);
    }

    /**
     * Starts the peer's waiting requests that its memory allowance lets go: each is served from the read cache, or
     * read from disk. The rest wait until blocks already on their way are written ({@link SwarmEvent.UploadRoom}).
     * {@code peer} is null when it has gone meanwhile.
     */
    void serve(Peer peer) {
        if (peer == null || peer.choking.isChoking()) { // null: the peer has gone
            return;
        }
        int maxPieces = (int) (memoryAllowance(peer) / info.pieceLength());
        for (BlockRef block = peer.uploads.startNext(maxPieces); block != null;
             block = peer.uploads.startNext(maxPieces)) {
            ReadCache.Lent cached = disk.cachedBlock(block);
            if (cached != null) {
                ready(peer, block, cached);
            } else {
                disk.readForUpload(peer.connection, block);
            }
        }
    }

    /**
     * The memory the blocks on their way to {@code peer} may hold: a second's worth at the rate it takes them, within
     * {@link #MIN_PEER_MEMORY} and {@link #MAX_PEER_MEMORY}, and two pieces at least, so that the next piece can
     * start while the last blocks of one are still being written.
     */
    long memoryAllowance(Peer peer) {
        long byRate = Math.clamp((long) peer.upload.rate(), MIN_PEER_MEMORY, MAX_PEER_MEMORY);
        return Math.max(byRate, 2L * info.pieceLength());
    }

    /** A cancel (BEP 3): the block is not sent if it has not gone yet, and (BEP 6) is rejected instead. */
    void cancelled(Peer peer, BlockRef block) {
        if (peer.uploads.cancel(block)) {
            reject(peer, block);
        }
    }

    /**
     * The data of a request was read; sent now, or when the upload limit lets it go, unless the peer cancelled it or
     * was choked meanwhile. The connection releases the lent block once it is written; a block not sent is released
     * here, as is one for a peer that has gone meanwhile ({@code peer} null).
     */
    void ready(Peer peer, BlockRef block, ReadCache.Lent data) {
        if (peer == null) {
            data.release(); // the peer has gone
            return;
        }
        if (deferredBlocks > 0 || limit.nanosUntilAvailable(clock.nanoTime()) > 0) {
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
     * Changes the torrent's own upload limit at {@code now} (0 for none); the blocks waiting for it go by the new
     * one, from the swarm's next turn.
     *
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    void setLimit(long bytesPerSecond, long now) {
        limit.setBytesPerSecond(bytesPerSecond, now);
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

    /**
     * Sends a block the limit lets go; only a block sent counts against it, not one cancelled or choked meanwhile
     * (which is rejected, BEP 6). The block holds its piece in the peer's {@link UploadQueue} until it is written.
     */
    private void send(Peer peer, BlockRef block, ReadCache.Lent data) {
        if (!peer.uploads.take(block) || peer.choking.isChoking()) {
            data.release();
            peer.uploads.finished(block);
            reject(peer, block);
            return;
        }
        limit.spent(block.length());
        UploadQueue queue = peer.uploads;
        peer.connection.send(new Message.Piece(block.piece(), block.begin(), data.data()), () -> {
            data.release();
            queue.finished(block);
        });
    }

    /**
     * The data of a request could not be sent (a corrupt piece taken on trust, or no memory for it now): reject it
     * (BEP 6), unless the peer has gone ({@code peer} null).
     */
    void refused(Peer peer, BlockRef block) {
        if (peer == null) {
            return; // the peer has gone
        }
        peer.uploads.take(block); // wanted or cancelled meanwhile, a reject answers it
        peer.uploads.finished(block);
        reject(peer, block);
    }

    /** Tells a peer that speaks the fast extension that a request of its will not be served (BEP 6). */
    private static void reject(Peer peer, BlockRef block) {
        if (peer.supportsFast()) {
            peer.connection.send(new Message.Reject(block.piece(), block.begin(), block.length()));
        }
    }

    private void unchoke(Peer peer) {
        peer.choking.unchoke();
        peer.connection.send(new Message.Unchoke());
    }

    /**
     * Chokes a peer and drops the requests of its that have not started; a peer with the fast extension is told
     * with a reject for each (BEP 6: choke first, then reject). Started ones are rejected as their data comes back.
     */
    private void choke(Peer peer) {
        peer.choking.choke(clock.nanoTime());
        peer.connection.send(new Message.Choke());
        for (BlockRef block : peer.uploads.dropWaiting()) {
            reject(peer, block);
        }
    }
}
