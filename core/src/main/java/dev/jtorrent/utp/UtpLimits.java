package dev.jtorrent.utp;

/**
 * The bounds of one {@link UtpEndpoint} and its connections. Every one is crossed by a test.
 *
 * @param connections          connections at most, in any state
 * @param synReceived          incoming connections at most whose opener has not yet proved its address (it answered
 *                             nothing after its SYN): what a flood of spoofed SYNs can fill
 * @param synPerSecond         SYNs answered per second at most, whatever their source (a burst of this many)
 * @param receiveWindow        bytes a connection buffers for its reader, in order or not: its advertised window
 * @param sendBuffer           bytes a connection holds written and not yet acknowledged: the most it has in flight,
 *                             whatever window the peer claims
 * @param outOfOrderPackets    packets a connection keeps ahead of a gap, at most
 * @param outOfOrderBytesTotal bytes all connections keep ahead of gaps, together
 */
public record UtpLimits(int connections, int synReceived, int synPerSecond, int receiveWindow, int sendBuffer,
        int outOfOrderPackets, long outOfOrderBytesTotal) {
    /** libtorrent's receive buffer is 1 MiB; its SYN flood guard is twice the connection limit. */
    public static final UtpLimits DEFAULTS =
            new UtpLimits(1_000, 64, 200, 1 << 20, 2 << 20, 1_024, 64L << 20);

    public UtpLimits {
        if (connections <= 0 || synReceived <= 0 || synPerSecond <= 0 || receiveWindow < UtpPacket.MAX_DATAGRAM
                || sendBuffer < UtpPacket.MAX_DATAGRAM || outOfOrderPackets <= 0
                || outOfOrderPackets >= InFlight.SLOTS || outOfOrderBytesTotal <= 0) {
            throw new IllegalArgumentException("uTP limits out of range: connections " + connections
                    + ", SYN-received " + synReceived + ", SYN/s " + synPerSecond + ", receive window "
                    + receiveWindow + ", send buffer " + sendBuffer + ", out-of-order packets " + outOfOrderPackets
                    + " (1 to " + (InFlight.SLOTS - 1) + "), out-of-order bytes " + outOfOrderBytesTotal);
        }
    }

    public UtpLimits withConnections(int n) {
        return new UtpLimits(n, synReceived, synPerSecond, receiveWindow, sendBuffer, outOfOrderPackets,
                outOfOrderBytesTotal);
    }

    public UtpLimits withSynReceived(int n) {
        return new UtpLimits(connections, n, synPerSecond, receiveWindow, sendBuffer, outOfOrderPackets,
                outOfOrderBytesTotal);
    }

    public UtpLimits withSynPerSecond(int n) {
        return new UtpLimits(connections, synReceived, n, receiveWindow, sendBuffer, outOfOrderPackets,
                outOfOrderBytesTotal);
    }

    public UtpLimits withOutOfOrder(int packets, long bytesTotal) {
        return new UtpLimits(connections, synReceived, synPerSecond, receiveWindow, sendBuffer, packets,
                bytesTotal);
    }
}
