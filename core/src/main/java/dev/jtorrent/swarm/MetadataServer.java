package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.MetadataCodec;
import dev.jtorrent.wire.MetadataMessage;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.ProtocolException;

import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Serves the torrent's info dictionary over {@code ut_metadata} (BEP 9), so that a peer that came with a magnet link
 * alone can start from us. A torrent whose swarm has the dictionary's bytes ({@link SwarmConfig#metadata()}) and is
 * not private (BEP 27: a private torrent's peers come from its tracker, and its metadata from its file) offers the
 * extension in its handshake with {@code metadata_size}, and answers each request with the 16 KiB piece asked for
 * (the last one shorter), sent with the id the peer gave {@code ut_metadata} in its own handshake. It rejects a piece
 * past the end, every request of a private torrent or one without the bytes, and requests past its bound.
 *
 * <p>The bound: each peer gets at most {@value #MAX_PIECES_PER_SECOND} pieces (1 MiB) a second, and none while it
 * takes nothing we send ({@link dev.jtorrent.peer.PeerConnection#sendStalled}); the rest are rejected, as libtorrent
 * rejects past a few requests queued behind a full send buffer. An answer is queued at once, so this bounds what a
 * peer that reads slowly makes us hold for it; an info dictionary of 1 MiB (a torrent of 50,000 pieces) still comes
 * in a second. Swarm thread only.
 */
final class MetadataServer {
    /** The id we give {@code ut_metadata} in our handshake, as libtorrent does; peers send their requests with it. */
    static final int OUR_ID = 2;
    /** Pieces a peer may have in a second; see the class comment. */
    static final int MAX_PIECES_PER_SECOND = 64;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TorrentMetadata metadata;
    private final boolean serves;

    MetadataServer(InfoDictionary info, TorrentMetadata metadata) {
        this.metadata = metadata;
        this.serves = metadata.present() && !info.isPrivate();
    }

    /** Whether the torrent's metadata is offered to peers. */
    boolean serves() {
        return serves;
    }

    /** Our handshake, offering {@code ut_metadata} and saying the dictionary's size when we serve it. */
    ExtensionHandshake offer(ExtensionHandshake handshake) {
        if (!serves) {
            return handshake;
        }
        SortedMap<String, Integer> messages = new TreeMap<>(handshake.messages());
        messages.put(MetadataMessage.EXTENSION_NAME, OUR_ID);
        return new ExtensionHandshake(messages, handshake.client(), handshake.listenPort(), handshake.requestQueue(),
                OptionalInt.of(metadata.size()), handshake.uploadOnly(), handshake.yourIp());
    }

    /** The peer's handshake: the id it wants our {@code ut_metadata} messages sent with, 0 if none (BEP 10). */
    void handshake(Peer peer, ExtensionHandshake handshake) {
        Integer id = handshake.messages().get(MetadataMessage.EXTENSION_NAME);
        if (id != null) {
            peer.metadataId = id;
        }
    }

    /**
     * A {@code ut_metadata} message from the peer. A request is answered, with the piece or a reject; data and
     * rejects are ignored, since we ask for nothing; a peer that gave no id for {@code ut_metadata} cannot be
     * answered, and its request is dropped.
     *
     * @throws ProtocolException if the message is malformed
     */
    void received(Peer peer, Message.Extended message, long now) throws ProtocolException {
        if (!(MetadataCodec.decode(message.payload()) instanceof MetadataMessage.Request request)
                || peer.metadataId == 0) {
            return;
        }
        int piece = request.piece();
        MetadataMessage answer;
        if (serves && piece < MetadataMessage.pieceCount(metadata.size()) && withinBound(peer, now)) {
            int offset = piece * MetadataMessage.PIECE_SIZE;
            answer = new MetadataMessage.Data(piece, metadata.size(),
                    metadata.copy(offset, Math.min(MetadataMessage.PIECE_SIZE, metadata.size() - offset)));
        } else {
            answer = new MetadataMessage.Reject(piece);
        }
        peer.connection.send(new Message.Extended(peer.metadataId, answer.encode()));
    }

    /** Counts a piece against the peer's bound, if it is within it. */
    private boolean withinBound(Peer peer, long now) {
        if (peer.connection.sendStalled(now)) {
            return false;
        }
        if (now - peer.metadataWindowStart >= WINDOW_NANOS || peer.metadataServed == 0) {
            peer.metadataWindowStart = now;
            peer.metadataServed = 0;
        }
        if (peer.metadataServed >= MAX_PIECES_PER_SECOND) {
            return false;
        }
        peer.metadataServed++;
        return true;
    }
}
