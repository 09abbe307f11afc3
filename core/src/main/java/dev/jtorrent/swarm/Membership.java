package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.DownloadLimit;
import dev.jtorrent.peer.PeerConnection;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Peers joining and leaving a swarm: a connection that {@link Admission} lets in becomes a {@link Peer}, is
 * started and greeted; a peer that leaves gives back what it held (its pieces' availability, its requests, its upload
 * slot) and the rest are asked for more. Swarm thread only.
 */
final class Membership {
    private static final System.Logger LOG = System.getLogger(Membership.class.getName());

    private final int pieceCount;
    private final Peers peers;
    private final Admission admission;
    private final PeerMessages messages;
    private final Requests requests;
    private final Uploads uploads;
    private final PiecePicker picker;
    private final PieceBuffers buffers;
    private final PieceCommit commit;
    private final Totals totals;
    private final DownloadLimit downloadLimit;
    private final SwarmInbox inbox;
    private final NanoClock clock;
    private final BooleanSupplier failed;

    Membership(int pieceCount, Peers peers, Admission admission, PeerMessages messages, Requests requests,
               Uploads uploads, PiecePicker picker, PieceBuffers buffers, PieceCommit commit, Totals totals,
               DownloadLimit downloadLimit, SwarmInbox inbox, NanoClock clock, BooleanSupplier failed) {
        this.pieceCount = pieceCount;
        this.peers = peers;
        this.admission = admission;
        this.messages = messages;
        this.requests = requests;
        this.uploads = uploads;
        this.picker = picker;
        this.buffers = buffers;
        this.commit = commit;
        this.totals = totals;
        this.downloadLimit = downloadLimit;
        this.inbox = inbox;
        this.clock = clock;
        this.failed = failed;
    }

    /** A connection completed both handshakes: it joins if admitted, and its reader and writer start. */
    void connected(PeerConnection connection) {
        long now = clock.nanoTime();
        if (!admission.admit(connection, failed.getAsBoolean(), now)) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: connected ({1}, fast {2}, extensions {3})", connection,
                connection.outgoing() ? "outgoing" : "incoming", connection.remote().supportsFast(),
                connection.remote().supportsExtensionProtocol());
        Peer peer = new Peer(connection, pieceCount, now, () -> inbox.post(new SwarmEvent.UploadRoom(connection)));
        peers.add(peer);
        connection.start(inbox::putFromReader, buffers, downloadLimit);
        messages.greet(peer, commit.shared());
    }

    /**
     * {@code peer} goes at once, for {@code reason}: to make room for a new peer ({@link Admission}), or as a seed
     * when we are one too ({@link PeerMessages}).
     */
    void evict(Peer peer, CloseReason reason) {
        drop(peer, reason);
    }

    /**
     * The session is out of connections and another torrent waits under its fair part while this one holds more:
     * the least useful peer goes (one a tick, as libtorrent's turnover drops peers of the torrent with the most).
     */
    void shedIfOverFairPart(long now) {
        Peer least = admission.peerToShed(now);
        if (least != null) {
            drop(least, CloseReason.of(CloseReason.Kind.NOT_WANTED, "making room for another torrent of the session"));
        }
    }

    /**
     * Closes the connections of the peers whose addresses {@code unwanted} matches, for {@code reason} (a block list
     * set while they are connected). They go as unwanted, not banned: they may come back if the list changes.
     */
    void closeWhere(Predicate<InetSocketAddress> unwanted, String reason) {
        for (Peer peer : peers.snapshot()) {
            if (unwanted.test(peer.connection.address())) {
                drop(peer, CloseReason.of(CloseReason.Kind.NOT_WANTED, reason));
            }
        }
    }

    /** Closes a peer's connection and forgets the peer at once, without waiting for its reader to report. */
    private void drop(Peer peer, CloseReason reason) {
        peer.connection.close(reason);
        closed(peer.connection, reason);
    }

    /** A connection ended; if its peer was one of ours, what it held goes back. */
    void closed(PeerConnection connection, CloseReason reason) {
        Peer peer = peers.remove(connection);
        connection.flush(); // closed: what was queued for it is dropped, and lent memory goes back
        if (peer == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: closed: {1}", connection, reason);
            return;
        }
        totals.countUploaded(peer);
        LOG.log(System.Logger.Level.DEBUG, "{0}: closed: {1} (received {2} bytes, sent {3})", connection, reason,
                Long.toString(peer.download.total()), Long.toString(peer.upload.total()));
        picker.peerLost(peer.pieces);
        requests.forget(peer);
        long now = clock.nanoTime();
        if (!failed.getAsBoolean()) {
            uploads.left(peer, peers.all(), now);
        }
        admission.left(connection, reason, now);
        requests.requestFromAll();
    }

    /** On the swarm's way out: closes every connection, counting what each peer took first. */
    void closeAll() {
        for (Peer peer : peers.snapshot()) {
            totals.countUploaded(peer);
            LOG.log(System.Logger.Level.DEBUG, "{0}: closing: shutting down (received {1} bytes, sent {2})",
                    peer.connection, Long.toString(peer.download.total()), Long.toString(peer.upload.total()));
            peer.connection.close(CloseReason.of(CloseReason.Kind.STOPPING, "shutting down"));
            peer.connection.flush();
            peers.remove(peer.connection);
        }
    }

    /** Dials more known peers while there is room; a swarm that has failed dials none. */
    void connectMore(long now) {
        if (!failed.getAsBoolean()) {
            admission.connectMore(now);
        }
    }
}
