package dev.jtorrent.swarm;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The session's DHT node as a swarm's peers learn of it and tell of theirs (BEP 5): the UDP port sent in a {@code
 * PORT} message to each peer whose handshake says it runs a DHT node, and where the nodes peers name in theirs go
 * (the peer's IP with the port it gave), for the routing table.
 *
 * @param port  our DHT node's UDP port
 * @param nodes takes each node a peer names, on the swarm's thread; it must be quick
 */
public record DhtContact(int port, Consumer<InetSocketAddress> nodes) {
    public DhtContact {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a DHT port must be in 1..65535: " + port);
        }
        Objects.requireNonNull(nodes, "nodes");
    }
}
