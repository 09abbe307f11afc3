package dev.jtorrent.peer;

import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.BlockSink;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerMessageValidator;
import dev.jtorrent.wire.ProtocolException;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * What a connection takes from its peer, whatever carries the bytes (a socket's reader, or a simulated network):
 * each message checked against the torrent, and piece data only where we asked this peer for it.
 *
 * <p>The blocks we asked for and that have not arrived are remembered: data goes into a piece only if it is one of
 * these, and anything else is dropped. So a peer can write only where it was asked to, and a liar cannot spray
 * blocks into the pieces other peers are sending and share out the blame when they fail. A request stays remembered
 * after we cancel it or give up on it (its block may be on the way, and is still wanted); the peer's reject forgets
 * it, and so does its choke without the fast extension (BEP 3: the peer drops every request). At most
 * {@link #MAX_TRACKED_REQUESTS} are remembered, the oldest forgotten first. {@link #asked} is called by the swarm's
 * thread, the rest by the one thread that reads.
 */
public final class Intake {
    /** Requests remembered at most: four times the most a swarm keeps in flight to one peer (libtorrent's 500). */
    public static final int MAX_TRACKED_REQUESTS = 2000;
    /**
     * Blocks nobody asked this peer for that it may send before it is closed. A few can come honestly: a block we
     * cancelled and then forgot among more than {@link #MAX_TRACKED_REQUESTS} requests.
     */
    public static final int MAX_UNREQUESTED_BLOCKS = 16;

    private final PeerConnection connection;
    private final PeerMessageValidator validator;
    private final boolean fast;
    /** Guarded by itself: written by the swarm's thread, read by the reader. */
    private final LinkedHashSet<BlockRef> requested = new LinkedHashSet<>();
    /** Blocks that arrived unasked; the reader's alone. */
    private int unrequestedBlocks;

    /** @param validator checks each message against the torrent's pieces and the peer's extensions */
    public Intake(PeerConnection connection, PeerMessageValidator validator) {
        this.connection = connection;
        this.validator = validator;
        this.fast = connection.remote().supportsFast();
    }

    /** We sent the peer a request for {@code block}: its data is wanted from this peer. */
    public void asked(BlockRef block) {
        synchronized (requested) {
            requested.add(block);
            if (requested.size() > MAX_TRACKED_REQUESTS) {
                Iterator<BlockRef> oldest = requested.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** A sink for the piece data of the messages read next: it claims each block's place in {@code memory}. */
    public Sink sink(BlockMemory memory) {
        return new Sink(memory);
    }

    /**
     * The event for a message just read: for piece data, whether it went into its piece (read through
     * {@code sink}); for any other message, once it passed the torrent's checks.
     *
     * @throws ProtocolException the message breaks the protocol: the connection is to be closed
     */
    public PeerEvent received(Message message, Sink sink) throws ProtocolException {
        if (message instanceof Message.Piece piece) {
            return blockArrived(piece, sink);
        }
        forgetRefused(validator.validate(message));
        return new PeerEvent.Received(connection, message);
    }

    /** Whether we asked this peer for the block; it is answered now, so no longer asked for. */
    private boolean answered(int piece, int begin, int length) {
        synchronized (requested) {
            return requested.remove(new BlockRef(piece, begin, length));
        }
    }

    /** A reject ends one request; a choke without the fast extension ends them all (BEP 3). */
    private void forgetRefused(Message message) {
        synchronized (requested) {
            if (message instanceof Message.Reject r) {
                requested.remove(new BlockRef(r.piece(), r.begin(), r.length()));
            } else if (message instanceof Message.Choke && !fast) {
                requested.clear();
            }
        }
    }

    private PeerEvent blockArrived(Message.Piece piece, Sink sink) throws ProtocolException {
        int length = sink.lastLength;
        if (length <= 0) {
            throw new ProtocolException("The peer sent an empty block.");
        }
        if (sink.unrequested && ++unrequestedBlocks > MAX_UNREQUESTED_BLOCKS) {
            throw new ProtocolException("The peer sent more than " + MAX_UNREQUESTED_BLOCKS
                    + " blocks nobody asked it for.");
        }
        boolean accepted = sink.claimed;
        if (accepted) {
            sink.memory.written(piece.piece(), piece.begin());
            sink.claimed = false;
        }
        return new PeerEvent.BlockArrived(connection, new BlockRef(piece.piece(), piece.begin(), length), accepted);
    }

    /** Hands out piece memory for each incoming block, remembering the claim until it is read in full. */
    public final class Sink implements BlockSink {
        private final BlockMemory memory;
        private boolean claimed;
        /** The last block was not one we asked this peer for. */
        private boolean unrequested;
        private int lastLength;
        private int lastPiece;
        private int lastBegin;

        private Sink(BlockMemory memory) {
            this.memory = memory;
        }

        @Override
        public ByteBuffer destination(int piece, int begin, int length) {
            lastLength = length;
            lastPiece = piece;
            lastBegin = begin;
            unrequested = length > 0 && !answered(piece, begin, length);
            ByteBuffer destination = length > 0 && !unrequested
                    ? memory.claim(connection, piece, begin, length) : null;
            claimed = destination != null;
            return destination;
        }

        /** The length of the last block the reader was given a destination for. */
        public int lastLength() {
            return lastLength;
        }

        /** The connection ended in the middle of a block: its place is free for another peer. */
        public void abandonClaim() {
            if (claimed) {
                memory.abandon(lastPiece, lastBegin);
                claimed = false;
            }
        }
    }
}
