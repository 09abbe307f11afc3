package dev.jtorrent.peer;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerMessageValidator;

import java.net.InetSocketAddress;

/**
 * A torrent that connections are made for, as the {@link Handshaker} sees it: the info hash both handshakes carry,
 * what a peer's messages are checked against, and where a connection goes once both handshakes are done. A running
 * torrent's swarm, or the search for the metadata of a torrent added by magnet link.
 */
public interface ConnectionTarget {
    InfoHash infoHash();

    /**
     * What checks the messages of the peer whose handshake is {@code theirs}: the torrent's pieces bound what it may
     * name, once they are known.
     */
    PeerMessageValidator validator(Handshake theirs);

    /** Whether the torrent is private (BEP 27): its handshakes then say nothing of a DHT. False while unknown. */
    default boolean isPrivate() {
        return false;
    }

    /** A connection, either way, that completed both handshakes for this torrent. */
    void accept(PeerConnection connection);

    /** A connection we dialled could not be made, or its handshake failed. */
    void connectFailed(InetSocketAddress address, String reason);
}
