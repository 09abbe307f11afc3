package dev.jtorrent.lsd;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The two multicast groups of BEP 14, one per address family. An announce names the group it was sent to in its
 * {@code Host} header, and the peer address it gives is the datagram's source, so a group's announces only ever
 * carry addresses of its own family.
 */
public enum LsdGroup {
    /** {@code 239.192.152.143:6771}, organisation-local scope. */
    IPV4("239.192.152.143", "239.192.152.143:6771"),
    /** {@code [ff15::efc0:988f]:6771}, site-local scope. */
    IPV6("ff15::efc0:988f", "[ff15::efc0:988f]:6771");

    /** The UDP port of both groups. */
    public static final int PORT = 6771;

    private final InetAddress address;
    private final String host;

    LsdGroup(String literal, String host) {
        try {
            this.address = InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
        this.host = host;
    }

    /** The group's multicast address. */
    public InetAddress address() {
        return address;
    }

    /** Where announces to this group go. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, PORT);
    }

    /** The value of the {@code Host} header of an announce to this group. */
    public String host() {
        return host;
    }

    /** The group of {@code address}'s family. */
    public static LsdGroup of(InetAddress address) {
        return address instanceof java.net.Inet6Address ? IPV6 : IPV4;
    }
}
