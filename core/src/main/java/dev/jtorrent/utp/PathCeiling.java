package dev.jtorrent.utp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.function.ToIntFunction;

/**
 * The largest datagram to try towards an address, the start of path-MTU discovery: the UDP payload of one IP packet
 * of the loopback interface's MTU for loopback addresses (65,536 on Linux, so 65,507 bytes over IPv4), and of one
 * Ethernet frame otherwise. The peer's own limit and path-MTU discovery take it from there.
 */
public final class PathCeiling implements ToIntFunction<InetSocketAddress> {
    private static final System.Logger LOG = System.getLogger(PathCeiling.class.getName());
    private static final int ETHERNET_MTU = 1_500;
    private static final int IPV4_AND_UDP_HEADERS = 28;
    private static final int IPV6_AND_UDP_HEADERS = 48;

    /** The loopback interface's MTU, or 0 if unknown. */
    private final int loopbackMtu;

    private PathCeiling(int loopbackMtu) {
        this.loopbackMtu = loopbackMtu;
    }

    /** The ceilings of this machine's interfaces, as they are now. */
    public static PathCeiling ofThisMachine() {
        return new PathCeiling(loopbackMtu());
    }

    @Override
    public int applyAsInt(InetSocketAddress to) {
        InetAddress address = to.getAddress();
        int headers = address instanceof Inet6Address ? IPV6_AND_UDP_HEADERS : IPV4_AND_UDP_HEADERS;
        int mtu = address != null && address.isLoopbackAddress() && loopbackMtu > 0 ? loopbackMtu : ETHERNET_MTU;
        return Math.min(UtpPacket.MAX_DATAGRAM, mtu - headers);
    }

    private static int loopbackMtu() {
        try {
            NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
            if (lo != null && lo.getMTU() > 0) {
                return lo.getMTU();
            }
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "no loopback MTU: {0}", e.getMessage());
        }
        return 0;
    }
}
