package dev.jtorrent.session;

import dev.jtorrent.net.BindAddresses;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which IPv6 address the session names to HTTP trackers in BEP 7's {@code ipv6} parameter: a global one that peers
 * can reach us at, so that a tracker we reach over IPv4 can still list us to peers that have IPv6 alone. Transmission
 * sends its global IPv6 address this way. A loopback, link-local or private (ULA) address is never sent: a tracker
 * reached over such an address sees it as the source anyway, and elsewhere it means nothing.
 */
final class AnnouncedIpv6 {
    private AnnouncedIpv6() {
    }

    /**
     * The first global IPv6 address among the bind addresses; with none given, or IPv6's wildcard among them, the
     * first global one of the machine's ({@code machine}, asked only then).
     */
    static Optional<InetAddress> choose(BindAddresses binds, Supplier<List<InetAddress>> machine) {
        boolean everyIpv6 = binds.isAny() || binds.ipv6().stream().anyMatch(InetAddress::isAnyLocalAddress);
        List<InetAddress> candidates = everyIpv6 ? machine.get() : binds.ipv6();
        return candidates.stream().filter(AnnouncedIpv6::isGlobal).findFirst();
    }

    /** Whether {@code address} is an IPv6 address that peers elsewhere on the internet can reach. */
    static boolean isGlobal(InetAddress address) {
        return address instanceof Inet6Address && !address.isAnyLocalAddress() && !address.isLoopbackAddress()
                && !address.isLinkLocalAddress() && !address.isSiteLocalAddress() && !address.isMulticastAddress()
                && (address.getAddress()[0] & 0xfe) != 0xfc;
    }

    /** The addresses of this machine's interfaces that are up; none if they cannot be listed. */
    static List<InetAddress> interfaceAddresses() {
        try {
            return NetworkInterface.networkInterfaces().filter(AnnouncedIpv6::isUp)
                    .flatMap(NetworkInterface::inetAddresses).toList();
        } catch (SocketException e) {
            return List.of();
        }
    }

    private static boolean isUp(NetworkInterface nif) {
        try {
            return nif.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
