package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.ProtocolException;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What a swarm does with each message a peer sends (but piece data, which {@link Requests} takes): BEP 3's choke,
 * interest and haves, BEP 6's fast extension, BEP 10's extension handshake, BEP 9's {@code ut_metadata} (which
 * {@link MetadataServer} answers), BEP 11's {@code ut_pex} (which {@link PeerExchange} takes); and our interest in
 * each peer, which follows what it has that we lack. Swarm thread only.
 */
final class PeerMessages {
    private static final int MAX_CLIENT_NAME = 64;
    private final InfoDictionary info;
    private final PiecePicker picker;
    private final Requests requests;
    private final Uploads uploads;
    private final Peers peers;
    private final int listenPort;
    private final NanoClock clock;
    private final MetadataServer metadata;
    private final PeerExchange pex;
    /**
     * Closes a peer's connection and forgets the peer at once, rather than when its reader reports the close: see
     * {@link #piecesChanged}.
     */
    private final BiConsumer<Peer, CloseReason> drop;
    /** The session's DHT node, for BEP 5's {@code PORT}; null without one. */
    private DhtContact dht;

    PeerMessages(InfoDictionary info, PiecePicker picker, Requests requests, Uploads uploads, Peers peers,
                 int listenPort, NanoClock clock, MetadataServer metadata, PeerExchange pex,
                 BiConsumer<Peer, CloseReason> drop) {
        this.info = info;
        this.picker = picker;
        this.requests = requests;
        this.uploads = uploads;
        this.peers = peers;
        this.listenPort = listenPort;
        this.clock = clock;
        this.metadata = metadata;
        this.pex = pex;
        this.drop = drop;
    }

    /** Handles a message; one that makes it fail closes its peer's connection, and the swarm stays. */
    void receivedFrom(Peer peer, Message message) {
        try {
            received(peer, message);
        } catch (RuntimeException failure) {
            // One peer's message must never take the torrent down; the peer goes, the swarm stays.
            peer.connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION,
                    String.valueOf(failure.getMessage())));
        }
    }

    private void received(Peer peer, Message message) {
        switch (message) {
            case Message.KeepAlive m -> {
                // only keeps the connection open
            }
            case Message.Choke m -> {
                peer.peerChoking = true;
                requests.choked(peer);
            }
            case Message.Unchoke m -> {
                peer.peerChoking = false;
                requests.request(peer);
            }
            case Message.Interested m -> {
                peer.peerInterested = true;
                peer.idleSinceNanos = clock.nanoTime();
                uploads.interested(peer, peers.all());
            }
            case Message.NotInterested m -> {
                peer.peerInterested = false;
                peer.idleSinceNanos = clock.nanoTime();
                uploads.notInterested(peer, peers.all(), clock.nanoTime());
            }
            case Message.Have m -> {
                if (!peer.pieces.has(m.piece())) {
                    peer.pieces.add(m.piece());
                    picker.peerHas(m.piece());
                    piecesChanged(peer);
                }
            }
            case Message.Bitfield m -> pieces(peer, PieceSet.fromBitfield(m.bits(), info.pieceCount()));
            case Message.HaveAll m -> pieces(peer, PieceSet.all(info.pieceCount()));
            case Message.HaveNone m -> pieces(peer, new PieceSet(info.pieceCount()));
            case Message.Request m ->
                    uploads.request(peer, new BlockRef(m.piece(), m.begin(), m.length()), clock.nanoTime());
            case Message.Cancel m -> uploads.cancelled(peer, new BlockRef(m.piece(), m.begin(), m.length()));
            case Message.Reject m -> requests.rejected(peer, new BlockRef(m.piece(), m.begin(), m.length()));
            case Message.AllowedFast m -> {
                peer.allowedFast.add(m.piece());
                requests.request(peer);
            }
            case Message.Suggest m -> {
                // Rarest first knows better than a peer's suggestion for the whole swarm; ignored.
            }
            case Message.Port m -> {
                if (dht != null && m.port() != 0 && !peer.dhtNodeTold) { // BEP 5: its DHT node, at its IP
                    peer.dhtNodeTold = true; // once: a peer repeating it could have us ping a port at a time
                    dht.nodes().accept(new InetSocketAddress(peer.connection.address().getAddress(), m.port()));
                }
            }
            case Message.Extended m -> extended(peer, m);
            case Message.Piece m -> throw new IllegalStateException("piece data arrives as BlockArrived");
        }
    }

    /**
     * A bitfield or have-all: normally the first message (BEP 3, 6), but aria2 sends a bitfield mid-connection in
     * place of many haves, so a later one adds pieces as haves would (never removes any).
     */
    private void pieces(Peer peer, PieceSet pieces) {
        for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
            if (!peer.pieces.has(i)) {
                peer.pieces.add(i);
                picker.peerHas(i);
            }
        }
        piecesChanged(peer);
    }

    /**
     * What the peer has, or what we have, changed: drop it if both are seeds, else follow it with our interest.
     *
     * <p>A seed dropped here is forgotten at once, its address free to be dialled again, and not when its reader
     * reports the close, later and from another thread: a torrent that wants more (a skipped file wanted now) redials
     * the seeds it dropped at once, and one whose drop was not reported yet would be left out, then dialled only
     * after the 30 s a peer that left waits.
     */
    void piecesChanged(Peer peer) {
        if (peer.pieces.isComplete() && picker.isComplete()) {
            // Two seeds have nothing to trade; the connection slot is better spent on a leecher.
            drop.accept(peer, CloseReason.of(CloseReason.Kind.NOT_WANTED, "both sides are seeds"));
            return;
        }
        boolean interesting = picker.isInteresting(peer.pieces);
        if (interesting != peer.amInterested) {
            peer.amInterested = interesting;
            peer.idleSinceNanos = clock.nanoTime();
            peer.connection.send(interesting ? new Message.Interested() : new Message.NotInterested());
        }
        if (interesting) {
            requests.request(peer);
        }
    }

    private void extended(Peer peer, Message.Extended message) {
        try {
            if (message.extendedId() == ExtensionHandshake.ID) {
                ExtensionHandshake handshake = ExtensionHandshake.from(message);
                handshake.requestQueue().ifPresent(peer.pipeline::peerQueue);
                handshake.client().ifPresent(v -> peer.client = printable(v));
                boolean listenPortChanged = listenPort(peer, handshake);
                if (dht != null) {
                    handshake.yourIp().ifPresent(ours -> dht.addresses().accept(
                            peer.connection.address().getAddress(), ours));
                }
                metadata.handshake(peer, handshake);
                pex.handshake(peer, handshake, listenPortChanged, clock.nanoTime());
            } else if (message.extendedId() == MetadataServer.OUR_ID) {
                // Even where we do not offer it (a private torrent), a request gets its reject.
                metadata.received(peer, message, clock.nanoTime());
            } else if (message.extendedId() == PeerExchange.OUR_ID && pex.enabled()) {
                pex.received(peer, message, clock.nanoTime());
            } else {
                // BEP 10: a peer sends only the messages we named in our handshake.
                peer.connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION,
                        "an extension message with id " + message.extendedId() + ", which we never offered"));
            }
        } catch (ProtocolException e) {
            peer.connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, e.getMessage()));
        }
    }

    /**
     * Takes the listen port a handshake gives, if it is one a peer can listen on; returns whether that changed it
     * (BEP 10 lets a peer send its handshake again).
     */
    private static boolean listenPort(Peer peer, ExtensionHandshake handshake) {
        int port = handshake.listenPort().orElse(0);
        if (port == 0 || port == peer.listenPort) {
            return false;
        }
        peer.listenPort = port;
        return true;
    }

    /** A peer's client name as people may see it: no control characters, 64 characters at most. */
    static String printable(String name) {
        StringBuilder clean = new StringBuilder(Math.min(name.length(), MAX_CLIENT_NAME));
        name.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .limit(MAX_CLIENT_NAME).forEach(clean::appendCodePoint);
        return clean.toString();
    }

    /** See {@link Swarm#useDht}. */
    void useDht(DhtContact contact) {
        dht = contact;
    }

    /**
     * The first messages to a new peer: our extension handshake, what we have (BEP 3, 6), and where our DHT node is
     * if the peer runs one too (BEP 5).
     */
    void greet(Peer peer, PieceSet shared) {
        if (peer.connection.remote().supportsExtensionProtocol()) {
            peer.connection.send(extensionHandshake());
        }
        if (peer.supportsFast() && shared.isComplete()) {
            peer.connection.send(new Message.HaveAll());
        } else if (peer.supportsFast() && shared.isEmpty()) {
            peer.connection.send(new Message.HaveNone());
        } else if (!shared.isEmpty()) {
            peer.connection.send(new Message.Bitfield(shared.toBitfield()));
        }
        if (dht != null && peer.connection.remote().supportsDht()) {
            peer.connection.send(new Message.Port(dht.port()));
        }
    }

    /**
     * The download became complete, or incomplete again: an extension handshake may be sent again at any time (BEP
     * 10), saying whether we are upload_only now.
     */
    void sayWhetherUploadOnly() {
        for (Peer peer : peers.all()) {
            if (peer.connection.remote().supportsExtensionProtocol()) {
                peer.connection.send(extensionHandshake());
            }
        }
    }

    /**
     * BEP 10, with BEP 21's {@code upload_only} once we seed, so that other seeds need not stay connected, BEP 9's
     * {@code ut_metadata} when we serve the torrent's metadata, and BEP 11's {@code ut_pex} when we exchange peers.
     */
    private Message.Extended extensionHandshake() {
        return pex.offer(metadata.offer(ExtensionHandshake.of(Map.of())
                .withClient("jtorrent")
                .withRequestQueue(Uploads.MAX_QUEUED_UPLOADS)
                .withListenPort(listenPort > 0 ? listenPort : 1)
                .withUploadOnly(picker.isComplete())))
                .toMessage();
    }
}
