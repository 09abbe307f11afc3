package dev.jtorrent.dht;

import dev.jtorrent.net.CompactAddress;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact binary forms of BEP 5 and BEP 32: a peer is its address then its port, big-endian (6 bytes for IPv4,
 * 18 for IPv6); a node is its id followed by its compact address (26 or 38 bytes). Lengths are checked by the caller,
 * {@link KrpcCodec}, before anything is read.
 */
final class Compact {
    private Compact() {
    }

    static byte[] peer(InetSocketAddress address) {
        return CompactAddress.encode(address);
    }

    /** Reads a compact peer of {@code length} (6 or 18) bytes at {@code offset}. */
    static InetSocketAddress readPeer(byte[] bytes, int offset, int length) {
        return CompactAddress.decode(bytes, offset, length);
    }

    /** The nodes of one family, concatenated, as a reply's {@code nodes} or {@code nodes6}. */
    static byte[] nodes(List<Contact> contacts, Family family) {
        byte[] out = new byte[contacts.size() * family.nodeLength];
        int at = 0;
        for (Contact c : contacts) {
            if (c.family() != family) {
                throw new IllegalArgumentException(c + " is not an " + family + " node");
            }
            c.id().writeTo(out, at);
            byte[] peer = peer(c.address());
            System.arraycopy(peer, 0, out, at + NodeId.LENGTH, peer.length);
            at += family.nodeLength;
        }
        return out;
    }

    /** Reads a whole {@code nodes} or {@code nodes6} string, whose length is a multiple of the family's stride. */
    static List<Contact> readNodes(byte[] bytes, Family family) {
        List<Contact> contacts = new ArrayList<>(bytes.length / family.nodeLength);
        for (int at = 0; at + family.nodeLength <= bytes.length; at += family.nodeLength) {
            NodeId id = NodeId.of(Arrays.copyOfRange(bytes, at, at + NodeId.LENGTH));
            contacts.add(new Contact(id, readPeer(bytes, at + NodeId.LENGTH, family.peerLength)));
        }
        return contacts;
    }
}
