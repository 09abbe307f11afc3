package dev.jtorrent.session;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;

/**
 * One peer a torrent is connected to, from {@link TorrentHandle#peers()}.
 *
 * @param address      where it is
 * @param client       the client it says it is: the name it gave in its extension handshake, else its peer id's
 *                     client prefix (such as {@code -TR4050-}), else "unknown"
 * @param flags        its choke and interest state, which side dialled, and how the connection is carried
 * @param downloadRate payload bytes a second from it, recently
 * @param uploadRate   payload bytes a second to it, recently
 * @param downloaded   payload bytes from it over this connection
 * @param uploaded     payload bytes to it over this connection
 * @param progress     the fraction of the torrent's pieces it has, 0 to 1
 */
public record PeerStatus(InetSocketAddress address, String client, Set<PeerStatus.Flag> flags, double downloadRate,
                         double uploadRate, long downloaded, long uploaded, double progress) {
    public PeerStatus {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(client, "client");
        flags = Set.copyOf(flags);
    }

    /**
     * What holds between a torrent and one peer: BEP 3's state, and the connection's transport and encryption, as
     * qBittorrent's peer flags show them.
     */
    public enum Flag {
        /** We dialled it; without this flag it dialled us. */
        OUTGOING,
        /** We upload to it (we do not choke it). */
        UPLOADING_TO,
        /** We want pieces it has. */
        INTERESTED_IN,
        /** It uploads to us (it does not choke us). */
        DOWNLOADING_FROM,
        /** It wants pieces we have. */
        INTERESTED_IN_US,
        /** It sent nothing we asked for, for too long; our requests went to others. */
        SNUBBED,
        /** The connection is encrypted (MSE's RC4). */
        ENCRYPTED,
        /** The connection runs over uTP (BEP 29) rather than TCP. */
        UTP
    }
}
