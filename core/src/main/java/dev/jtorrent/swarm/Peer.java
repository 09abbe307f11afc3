package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.BlockRef;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * The swarm's view of one connected peer. Owned by the swarm thread; never touched by another. What is kept for
 * downloading from it (requests in flight, their {@link Pipeline}) and for uploading to it ({@link Choking}, its
 * {@link UploadQueue}) is grouped apart; the flags of BEP 3's choke and interest state are plain fields.
 */
final class Peer {
    final PeerConnection connection;
    /** The pieces it has. */
    final PieceSet pieces;
    /** Our requests in flight to it, oldest first, with when each was sent. */
    final LinkedHashMap<BlockRef, Long> requests = new LinkedHashMap<>();
    /** Pieces it lets us request while it chokes us (BEP 6). */
    final Set<Integer> allowedFast = new HashSet<>();
    final Pipeline pipeline = new Pipeline();
    final RateMeter download = new RateMeter();
    final RateMeter upload = new RateMeter();
    /** Whether we choke it, and its requests while we did. */
    final Choking choking = new Choking();
    /** Its requests that we have not sent yet, and the memory of the blocks on their way to it. */
    final UploadQueue uploads;
    final long connectedNanos;
    /** The client name from its extension handshake (BEP 10 {@code v}), cleaned; null until it gives one. */
    String client;
    /** The id it gave {@code ut_metadata} in its extension handshake (BEP 9, 10); 0 until it gives one. */
    int metadataId;
    /** Whether it gave its DHT node's port (BEP 5); only its first {@code PORT} message is taken. */
    boolean dhtNodeTold;
    /** The TCP port it listens on, from its extension handshake (BEP 10 {@code p}); 0 until it gives one. */
    int listenPort;
    /** What peer exchange keeps for it (BEP 11). */
    final PexState pex = new PexState();
    /** When its present second of {@code ut_metadata} pieces began, and how many it had in it (MetadataServer). */
    long metadataWindowStart;
    int metadataServed;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    /** It delivered nothing for too long: its requests went to others, and it gets new ones once it delivers. */
    boolean snubbed;
    /** libtorrent's trust score: +1 per good piece it helped with (up to 8), -2 per bad one; banned at -7. */
    int trust;
    long lastBlockNanos;
    /** When interest last changed on either side (or the connection began): idle since then if neither is. */
    long idleSinceNanos;

    Peer(PeerConnection connection, int pieceCount, long now) {
        this(connection, pieceCount, now, () -> { });
    }

    /** @param uploadRoom runs, on any thread, when blocks we send it hold fewer pieces after it had no room */
    Peer(PeerConnection connection, int pieceCount, long now, Runnable uploadRoom) {
        this.connection = connection;
        this.uploads = new UploadQueue(Uploads.MAX_QUEUED_UPLOADS, uploadRoom);
        this.pieces = new PieceSet(pieceCount);
        this.connectedNanos = now;
        this.lastBlockNanos = now;
        this.idleSinceNanos = now;
    }

    boolean supportsFast() {
        return connection.remote().supportsFast();
    }

    /** A block of ours arrived from this peer. */
    void blockReceived(int length, long now) {
        download.add(length);
        lastBlockNanos = now;
        snubbed = false;
        pipeline.blockReceived();
    }

    /** Once a second: updates its rates and its pipeline. */
    void secondPassed(long now) {
        download.update(now);
        pipeline.secondPassed(download.total());
    }

    /** How many requests to keep in flight to it now (see {@link Pipeline}). */
    int pipelineTarget() {
        return pipeline.target(download.rate());
    }

    /** Neither side has been interested for {@code idleNanos}. */
    boolean idleFor(long idleNanos, long now) {
        return !amInterested && !peerInterested && now - idleSinceNanos >= idleNanos;
    }

    /** What a session shows of it, now. */
    PeerSnapshot snapshot() {
        return new PeerSnapshot(connection.address(), connection.remote().peerId().bytes(),
                Optional.ofNullable(client), connection.outgoing(), connection.transport(), connection.encrypted(),
                choking.isChoking(), amInterested, peerChoking,
                peerInterested, snubbed, download.rate(), upload.rate(), download.total(), upload.total(),
                pieces.count());
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
