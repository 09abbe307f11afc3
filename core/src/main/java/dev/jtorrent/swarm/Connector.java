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
}
