package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What an {@link Announcer} needs of its torrent: which one it is, who we are in it, how far along it is, and where
 * the peers that trackers list go. A {@link Swarm} in a session; a recording fake in tests.
 */
interface AnnouncedTorrent {

    /** The torrent's name, for threads and the log. */
    String name();

    InfoHash infoHash();

    PeerId ourId();

    SwarmStats stats();

    /** Peers a tracker listed. */
    void peersFound(List<InetSocketAddress> peers);

    static AnnouncedTorrent of(Swarm swarm) {
        return new AnnouncedTorrent() {
            @Override
            public String name() {
                return swarm.info().name();
            }

            @Override
            public InfoHash infoHash() {
                return swarm.infoHash();
            }

            @Override
            public PeerId ourId() {
                return swarm.ourId();
            }

            @Override
            public SwarmStats stats() {
                return swarm.stats();
            }

            @Override
            public void peersFound(List<InetSocketAddress> peers) {
                swarm.peersFound(peers);
            }
        };
    }
}
