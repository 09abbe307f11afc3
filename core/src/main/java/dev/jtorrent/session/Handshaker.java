package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.PeerConnections;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Function;

/**
 * The BitTorrent handshake both ways (BEP 3): outgoing connections send ours first and expect the same info hash
 * back; incoming ones read theirs first, find the torrent by its info hash and answer. A peer that is slower than
 * {@link #HANDSHAKE_TIMEOUT_MILLIS} (libtorrent's 10 s), names a torrent we do not have, or is ourselves, is
 * dropped. Runs on the caller's (virtual) thread.
 */
final class Handshaker {
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_BUFFER = 64 * 1024;

    private final PeerId ourId;
    private final Optional<InetAddress> bindAddress;

    Handshaker(PeerId ourId, Optional<InetAddress> bindAddress) {
        this.ourId = ourId;
        this.bindAddress = bindAddress;
    }

    /** Connects to {@code address} for {@code swarm}; hands the connection to the swarm or reports the failure. */
    void connect(InetSocketAddress address, Swarm swarm) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (bindAddress.isPresent()) {
                socket.bind(new InetSocketAddress(bindAddress.get(), 0));
            }
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            WireWriter writer = WireWriter.of(socket.getOutputStream());
            writer.writeHandshake(ours(swarm));
            writer.flush();
            PeerInputStream input = new PeerInputStream(socket.getInputStream(), READ_BUFFER);
            WireReader reader = new WireReader(input);
            Handshake theirs = reader.readHandshake();
            if (!theirs.infoHash().equals(swarm.infoHash())) {
                throw new IOException("the peer answered for another torrent");
            }
            swarm.accept(PeerConnections.open(socket, theirs, true, input, reader, writer, swarm.info()));
        } catch (IOException | RuntimeException e) {
            close(socket);
            PeerConnections.connectFailed(swarm, address, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** Answers an incoming connection; {@code torrents} finds the swarm for an info hash. */
    void accept(Socket socket, Function<InfoHash, Swarm> torrents) {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            PeerInputStream input = new PeerInputStream(socket.getInputStream(), READ_BUFFER);
            WireReader reader = new WireReader(input);
            Handshake theirs = reader.readHandshake();
            Swarm swarm = torrents.apply(theirs.infoHash());
            if (swarm == null || theirs.peerId().equals(ourId)) {
                close(socket);
                return;
            }
            WireWriter writer = WireWriter.of(socket.getOutputStream());
            writer.writeHandshake(ours(swarm));
            writer.flush();
            swarm.accept(PeerConnections.open(socket, theirs, false, input, reader, writer, swarm.info()));
        } catch (IOException | RuntimeException e) {
            close(socket);
        }
    }

    /** Ours: we speak the extension protocol (BEP 10) and the fast extension (BEP 6). */
    private Handshake ours(Swarm swarm) {
        return Handshake.of(swarm.infoHash(), ourId).withExtensionProtocol(true).withFast(true);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already failing; nothing to add
        }
    }
}
