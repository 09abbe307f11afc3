package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * What a swarm's logic reacts to; every change to a torrent's swarm state starts as one of these. They come from the
 * connections, the disk pool, the session and the logic itself, through its {@link SwarmInbox}.
 */
public sealed interface SwarmEvent {
    /** A connection finished both handshakes and is ready for messages. */
    record Connected(PeerConnection connection) implements SwarmEvent {
    }

    /** What a connection's reader handed over: a message, piece data, a burst of them, or the connection's end. */
    record FromPeer(PeerEvent event) implements SwarmEvent {
    }

    /**
     * The session gave back connections or memory while this swarm waited for some: it tries again to connect and
     * to request.
     */
    record BudgetRoom() implements SwarmEvent {
    }

    /**
     * The last job on the disk pool ended, after the swarm found nothing else going on: it may sleep now (see
     * {@link Swarm}). A job that succeeds silently (a record, say) would otherwise leave the loop waiting for an
     * event that never comes.
     */
    record DiskIdle() implements SwarmEvent {
    }

    /** An outgoing connection attempt failed before the handshake completed. */
    record ConnectFailed(InetSocketAddress address, String reason) implements SwarmEvent {
    }

    /**
     * A complete piece passed its hash check and was written (not yet forced to disk); {@code senders} sent it.
     * {@code digests} are its blocks' for {@link SmartBan} if the swarm asked for them, else null.
     */
    record PieceWritten(int piece, Set<PeerConnection> senders, byte[][] digests) implements SwarmEvent {
    }

    /**
     * A complete piece failed its hash check; {@code senders} wrote its blocks. With more than one sender,
     * {@code blocks} says who sent each block and what, for {@link SmartBan}; else it is empty.
     */
    record PieceFailed(int piece, Set<PeerConnection> senders, List<SmartBan.SentBlock> blocks)
            implements SwarmEvent {
    }

    /** These written pieces are now forced to disk: they count as ours. */
    record PiecesDurable(List<Integer> pieces) implements SwarmEvent {
    }

    /**
     * The disk is full: these pieces, verified, were not written, or ({@code forcing}) were written but could not
     * be forced, and must be fetched again.
     */
    record OutOfSpace(List<Integer> pieces, boolean forcing, String message) implements SwarmEvent {
    }

    /** Resume data could not be saved; the download goes on and saves again later. */
    record RecordFailed(String message) implements SwarmEvent {
    }

    /** A disk operation failed; the torrent stops downloading. */
    record DiskFailed(String message) implements SwarmEvent {
    }

    /** Data read from disk for an upload is ready to send; whoever drops it releases it. */
    record UploadReady(PeerConnection connection, BlockRef block, ReadCache.Lent data) implements SwarmEvent {
    }

    /**
     * A block asked for cannot be sent: its piece, taken on trust, failed its hash check ({@code problem} says so),
     * or the memory for blocks waiting to be sent is full ({@code problem} is null: nothing is wrong with the data,
     * and the peer may ask again).
     */
    record UploadRefused(PeerConnection connection, BlockRef block, String problem) implements SwarmEvent {
    }

    /**
     * The blocks we send a peer hold fewer pieces now, after some of its requests had to wait for that (see
     * {@link UploadQueue}).
     */
    record UploadRoom(PeerConnection connection) implements SwarmEvent {
    }

    /** A tracker (or another source) named these peers. */
    record PeersFound(List<InetSocketAddress> peers) implements SwarmEvent {
    }

    /** The user changed which files are wanted: one priority for each of the torrent's files. */
    record PrioritiesChanged(List<FilePriority> priorities) implements SwarmEvent {
    }

    /** The user turned sequential picking on or off. */
    record SequentialChanged(boolean sequential) implements SwarmEvent {
    }

    /**
     * The user changed the torrent's own rate limits, in payload bytes a second, 0 for none: they hold from now on
     * (see {@link UploadLimit} and {@link dev.jtorrent.peer.DownloadLimit}).
     *
     * @throws IllegalArgumentException if either is negative
     */
    record LimitsChanged(long upload, long download) implements SwarmEvent {
        public LimitsChanged {
            if (upload < 0 || download < 0) {
                throw new IllegalArgumentException("rate limits must not be negative: upload " + upload
                        + ", download " + download);
            }
        }
    }

    /** Runs the timed work (timeouts, rates, new connections) at once, as if the clock read {@code nanos}; for tests. */
    record Tick(long nanos) implements SwarmEvent {
    }

    /** Stop: close every connection and end the loop. */
    record Stop() implements SwarmEvent {
    }

    /** The connections to peers at the addresses {@code unwanted} matches are to close, for {@code reason}. */
    record ClosePeers(Predicate<InetSocketAddress> unwanted, String reason) implements SwarmEvent {
    }

    /** Someone asks which peers are connected, and how they do. */
    record PeersQuery(CompletableFuture<List<PeerSnapshot>> answer) implements SwarmEvent {
    }
}
