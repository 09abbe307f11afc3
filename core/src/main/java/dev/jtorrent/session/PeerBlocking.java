package dev.jtorrent.session;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's {@link IpFilter} and the count of what it blocked: the peers not dialled and the connections closed at
 * accept. Read on every dial and accept without a lock; set at any time ({@link Session#setIpFilter}).
 */
final class PeerBlocking {
    private volatile IpFilter filter = IpFilter.NONE;
    private final AtomicLong blocked = new AtomicLong();

    IpFilter filter() {
        return filter;
    }

    void set(IpFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** Whether {@code peer}'s address is blocked; each that is counts as a blocked attempt. */
    boolean blocks(InetSocketAddress peer) {
        if (peer == null || peer.isUnresolved()) {
            return false;
        }
        boolean blocks = filter.blocks(peer.getAddress());
        if (blocks) {
            blocked.incrementAndGet();
        }
        return blocks;
    }

    /** Connections refused and peers not dialled for the filter, since the session started. */
    long blocked() {
        return blocked.get();
    }
}
