package dev.jtorrent.dht;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A DHT node: its id and the UDP address it answers on. */
record Contact(NodeId id, InetSocketAddress address) {
    Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }

    Family family() {
        return Family.of(address.getAddress());
    }
}
