package dev.jtorrent.dht;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An address family. BEP 32 keeps the IPv4 and the IPv6 DHT apart: each has its own routing table, its own lookups
 * and its own compact formats ({@code nodes} and {@code nodes6}).
 */
enum Family {
    IPV4(4, "n4"), IPV6(16, "n6");

    /** Bytes of an address. */
    final int addressLength;
    /** Bytes of a compact peer: the address and a two-byte port. */
    final int peerLength;
    /** Bytes of a compact node: an id, the address and a port. */
    final int nodeLength;
    /** The word that asks for this family in a query's {@code want} list (BEP 32). */
    final String want;

    Family(int addressLength, String want) {
        this.addressLength = addressLength;
        this.peerLength = addressLength + 2;
        this.nodeLength = NodeId.LENGTH + addressLength + 2;
        this.want = want;
    }

    static Family of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }

    /** The {@code r} key under which a reply lists nodes of this family. */
    String nodesKey() {
        return this == IPV4 ? "nodes" : "nodes6";
    }
}
