package dev.jtorrent.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Which addresses may be DHT contacts, whether from a {@code nodes} list, a query or a peer announce. Port 0 is never
 * a UDP endpoint; our own addresses would make us talk to ourselves; multicast, broadcast and wildcard addresses are
 * not nodes. Addresses that are not globally routable (loopback, private, link-local, carrier-grade NAT, reserved)
 * are refused too unless {@code allowLocal}: on the internet such an address in a reply is a mistake or an attempt
 * to aim our queries at a local network; tests and LAN DHTs allow them.
 *
 * <p>Ports are not judged beyond 0: libtorrent accepts any other, and nodes behind a NAT get arbitrary ones.
 * Not thread-safe: the node's thread only.
 */
final class AddressFilter {
    private final boolean allowLocal;
    /** The addresses our sockets are bound to. */
    private final Set<InetSocketAddress> own = new HashSet<>();
    /** Our external address with each of our ports, once known: what the DHT sees of us. */
    private Set<InetSocketAddress> external = Set.of();

    AddressFilter(boolean allowLocal) {
        this.allowLocal = allowLocal;
    }

    /** Adds the address one of our sockets is bound to. */
    void addOwn(InetSocketAddress address) {
        own.add(address);
    }

    /** Our external address changed: with each of our ports it is ours, and the previous one no longer. */
    void setExternal(InetAddress address) {
        Set<InetSocketAddress> ours = new HashSet<>();
        for (InetSocketAddress local : own) {
            ours.add(new InetSocketAddress(address, local.getPort()));
        }
        external = Set.copyOf(ours);
    }

    boolean allowed(InetSocketAddress address) {
        if (address.isUnresolved() || address.getPort() == 0 || own.contains(address)
                || external.contains(address)) {
            return false;
        }
        InetAddress ip = address.getAddress();
        if (ip.isMulticastAddress() || ip.isAnyLocalAddress() || isBroadcast(ip)) {
            return false;
        }
        return allowLocal || globallyRoutable(ip);
    }

    static boolean globallyRoutable(InetAddress ip) {
        if (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress()) {
            return false;
        }
        byte[] b = ip.getAddress();
        int first = b[0] & 0xff;
        if (ip instanceof Inet4Address) {
            boolean thisNetwork = first == 0;
            boolean sharedNat = first == 100 && (b[1] & 0xc0) == 64;
            boolean reserved = first >= 240;
            return !(thisNetwork || sharedNat || reserved);
        }
        boolean uniqueLocal = (first & 0xfe) == 0xfc;
        boolean documentation = first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d
                && (b[3] & 0xff) == 0xb8;
        return !uniqueLocal && !documentation && (first & 0xe0) == 0x20;
    }

    private static boolean isBroadcast(InetAddress ip) {
        byte[] b = ip.getAddress();
        return b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
    }
}
