package dev.jtorrent.swarm;

import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;

import java.net.InetSocketAddress;

/** Opens outgoing connections for a swarm; the session implements it (it owns the bind address and peer id). */
public interface Connector {
    /**
     * Starts connecting to {@code address} in the background. On success the swarm gets
     * {@link ConnectionTarget#accept(PeerConnection)}; on failure {@link ConnectionTarget#connectFailed}.
     */
    void connect(InetSocketAddress address, ConnectionTarget swarm);

    /**
     * Whether {@code address} can be dialled at all: a session bound to IPv4 addresses alone cannot reach an IPv6
     * peer, which is then not kept (nor its connection attempted and failed over and over). Every address by default.
     */
    default boolean canReach(InetSocketAddress address) {
        return true;
    }
}
