package dev.jtorrent.peer;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;

import java.net.InetSocketAddress;

/**
 * A torrent that connections are made for, as the {@link Handshaker} sees it: the info hash both handshakes carry,
 * the pieces a peer's messages are checked against, and where a connection goes once both handshakes are done.
 */
public interface ConnectionTarget {
    InfoHash infoHash();

    /** The torrent's info dictionary: its pieces bound what a peer may name. */
    InfoDictionary info();

    /** A connection, either way, that completed both handshakes for this torrent. */
    void accept(PeerConnection connection);

    /** A connection we dialled could not be made, or its handshake failed. */
    void connectFailed(InetSocketAddress address, String reason);
}
