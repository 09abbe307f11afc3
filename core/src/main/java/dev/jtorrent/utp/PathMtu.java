package dev.jtorrent.utp;

/**
 * Path-MTU discovery for one connection, as libtorrent does it: a binary search for the largest datagram that gets
 * through, between a floor every path carries (576 bytes of IPv4 packet, so 548 of UDP payload) and a ceiling (the
 * local interface's MTU, and the peer's own limit: see {@link UtpPacket#EXTENSION_MAX_DATAGRAM}). Ordinary packets
 * are sent at the floor; one packet at a time is a probe at the middle. A probe acknowledged raises the floor; a
 * probe lost (a timeout, or the packets after it acknowledged) lowers the ceiling under it, and does not count as
 * congestion. The search ends when floor and ceiling are within {@link #DONE_WITHIN} bytes.
 *
 * <p>libtorrent sets the don't-fragment bit on probes, so a router that cannot pass one drops it. Java offers no
 * portable way to set it on a {@code DatagramChannel}; Linux's default for UDP sets DF and fragments locally only
 * above the path MTU it learnt from ICMP, so a probe that is too big is lost or, once the kernel knows, fragmented.
 * Either way, loss is what tells us, and a lost probe lowers the ceiling. On loopback (MTU 65,536) two jtorrents
 * settle near 65,507, the largest UDP payload.
 */
final class PathMtu {
    /** 576 (the smallest IPv4 datagram every host must take) minus the IPv4 and UDP headers. */
    static final int FLOOR = 548;
    static final int DONE_WITHIN = 16;

    private int floor = FLOOR;
    private int ceiling;
    private int probeSeq = -1;
    private int probeSize;

    PathMtu(int ceiling) {
        this.ceiling = Math.max(ceiling, FLOOR);
    }

    /** The size of ordinary packets: the largest known to get through. */
    int packetSize() {
        return floor;
    }

    int ceiling() {
        return ceiling;
    }

    /** Sets the ceiling: what the local interface and the peer both take, once the peer said what it takes. */
    void setCeiling(int limit) {
        ceiling = Math.max(FLOOR, limit);
        floor = Math.min(floor, ceiling);
    }

    boolean probing() {
        return probeSeq >= 0;
    }

    /** Every packet in flight was lost at once (a timeout): the probe tells nothing about its size. */
    void forgetProbe() {
        probeSeq = -1;
    }

    /** The size of a probe to send now, or 0 if one is out or the search is over. */
    int nextProbe() {
        if (probeSeq >= 0 || ceiling - floor <= DONE_WITHIN) {
            return 0;
        }
        return (floor + ceiling + 1) / 2;
    }

    void probeSent(int seq, int size) {
        probeSeq = seq;
        probeSize = size;
    }

    boolean isProbe(int seq) {
        return probeSeq == seq;
    }

    void probeAcked() {
        floor = Math.max(floor, probeSize);
        probeSeq = -1;
    }

    void probeLost() {
        ceiling = Math.max(floor, probeSize - 1);
        probeSeq = -1;
    }
}
