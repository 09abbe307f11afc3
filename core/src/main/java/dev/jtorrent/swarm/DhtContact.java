package dev.jtorrent.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The session's DHT node as a swarm's peers learn of it and tell of theirs (BEP 5): the UDP port sent in a {@code
 * PORT} message to each peer whose handshake says it runs a DHT node, where the nodes peers name in theirs go (the
 * peer's IP with the port it gave), for the routing table, and where the address each peer sees us at goes (BEP 10's
 * {@code yourip}), a vote for the external address our node id follows (BEP 42).
 *
 * @param port      our DHT node's UDP port
 * @param nodes     takes each node a peer names, on the swarm's thread; it must be quick
 * @param addresses takes each peer's IP and the address it sees us at, on the swarm's thread; it must be quick
 */
public record DhtContact(int port, Consumer<InetSocketAddress> nodes, BiConsumer<InetAddress, InetAddress> addresses) {
    public DhtContact {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a DHT port must be in 1..65535: " + port);
        }
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(addresses, "addresses");
    }
}
