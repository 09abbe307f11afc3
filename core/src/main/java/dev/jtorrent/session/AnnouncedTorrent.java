package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.BiConsumer;

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

    /** An announce to {@code url} failed with {@code message} (the tracker is tried again later). */
    default void trackerFailed(String url, String message) {
    }

    static AnnouncedTorrent of(Swarm swarm) {
        return of(swarm, (url, message) -> { });
    }

    /** The torrent of {@code swarm}, whose failed announces go to {@code failures}. */
    static AnnouncedTorrent of(Swarm swarm, BiConsumer<String, String> failures) {
        return new AnnouncedTorrent() {
            @Override
            public void trackerFailed(String url, String message) {
                failures.accept(url, message);
            }

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
