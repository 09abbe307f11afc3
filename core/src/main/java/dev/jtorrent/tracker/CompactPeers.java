package dev.jtorrent.tracker;

import dev.jtorrent.net.CompactAddress;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact peer formats: 4 address bytes and a big-endian port (BEP 23, BEP 15), or 16 and a port for IPv6
 * (BEP 7). Peers with port 0 cannot be connected to and are dropped.
 */
final class CompactPeers {
    static final int IPV4_STRIDE = CompactAddress.IPV4_LENGTH;
    static final int IPV6_STRIDE = CompactAddress.IPV6_LENGTH;

    private CompactPeers() {
    }

    /**
     * Decodes {@code length} bytes at {@code offset}, stopping after {@code max} peers; the caller has checked it is
     * a whole number of entries.
     */
    static List<InetSocketAddress> decode(byte[] data, int offset, int length, int stride, int max) {
        List<InetSocketAddress> peers = new ArrayList<>(Math.min(length / stride, max));
        for (int i = offset; i + stride <= offset + length && peers.size() < max; i += stride) {
            InetSocketAddress peer = CompactAddress.decode(data, i, stride);
            if (peer.getPort() != 0) {
                peers.add(peer);
            }
        }
        return peers;
    }

    /** Encodes the peers whose address has {@code stride - 2} bytes; the others are skipped. */
    static byte[] encode(List<InetSocketAddress> peers, int stride) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(peers.size() * stride);
        for (InetSocketAddress peer : peers) {
            if (peer.getAddress().getAddress().length == stride - 2) {
                out.writeBytes(CompactAddress.encode(peer));
            }
        }
        return out.toByteArray();
    }

    static void put(ByteBuffer buffer, InetSocketAddress peer) {
        buffer.put(peer.getAddress().getAddress()).putShort((short) peer.getPort());
    }

    static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
