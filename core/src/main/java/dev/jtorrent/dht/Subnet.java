package dev.jtorrent.dht;

import java.net.InetAddress;

/**
 * The /24 of an IPv4 address or the /64 of an IPv6 one: what one host, or one small network, can fill with nodes.
 * libtorrent lets each into a bucket once ({@code dht_restrict_routing_ips}) and into a lookup once
 * ({@code dht_restrict_search_ips}), so that a host with many addresses cannot surround a key.
 */
record Subnet(Family family, long prefix) {

    static Subnet of(InetAddress address) {
        byte[] b = address.getAddress();
        int bytes = b.length == 4 ? 3 : 8;
        long prefix = 0;
        for (int i = 0; i < bytes; i++) {
            prefix = prefix << 8 | b[i] & 0xff;
        }
        return new Subnet(Family.of(address), prefix);
    }
}
