package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A torrent for an {@link Announcer} alone: stats the test sets, and the peers it is given, kept in order. */
final class RecordingTorrent implements AnnouncedTorrent {
    private final PeerId ourId = PeerId.random("-JT0010-");
    private final BlockingQueue<List<InetSocketAddress>> found = new LinkedBlockingQueue<>();
    private volatile SwarmStats stats;

    /** A torrent of {@code left} bytes, none of them here yet. */
    RecordingTorrent(long left) {
        stats = SwarmStats.initial(0, 1, left);
    }

    /** Its download is done: no byte left. */
    void complete() {
        stats = SwarmStats.initial(1, 1, 0);
    }

    /** The next peers given, waiting up to {@code timeout} for them; null if none came. */
    List<InetSocketAddress> nextPeers(Duration timeout) throws InterruptedException {
        return found.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String name() {
        return "recorded";
    }

    @Override
    public InfoHash infoHash() {
        return InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    }

    @Override
    public PeerId ourId() {
        return ourId;
    }

    @Override
    public SwarmStats stats() {
        return stats;
    }

    @Override
    public void peersFound(List<InetSocketAddress> peers) {
        found.add(peers);
    }
}
