package dev.jtorrent.lsd;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Local Service Discovery runs: an interface, whose group of {@code source}'s family it joins, and our address
 * on it that announces are sent from. The source matters: it is the address peers dial (the announce carries only
 * the port), so it must be one we listen on. That is also why an IPv4 listen address announces on IPv4 alone.
 *
 * @param networkInterface where the group is joined and announces go out
 * @param source           our address on it, the announces' source
 */
public record LsdEndpoint(NetworkInterface networkInterface, InetAddress source) {
    public LsdEndpoint {
        Objects.requireNonNull(networkInterface, "networkInterface");
        Objects.requireNonNull(source, "source");
    }

    /** The group of the source's family. */
    public LsdGroup group() {
        return LsdGroup.of(source);
    }

    /**
     * Where a client listening on {@code listenAddress} announces. A given address: the interface it is on (the
     * loopback interface for any {@code 127.x} address, so clients on loopback addresses find each other, as
     * libtorrent's do), or none if no interface has it. Every address (empty, or IPv6's wildcard, a dual-stack
     * listener's): each interface that is up and can multicast, other than loopback, with its first IPv4 address and
     * its first IPv6 address that is not link-local; IPv4's wildcard alone: their IPv4 addresses.
     */
    public static List<LsdEndpoint> forListenAddress(Optional<InetAddress> listenAddress) throws SocketException {
        return forListenAddresses(listenAddress.stream().toList());
    }

    /**
     * Where a client listening on each of {@code listenAddresses} announces: each address's endpoint as {@link
     * #forListenAddress} finds it, once each; with none, or a wildcard among them, every interface's (for IPv4's
     * wildcard, their IPv4 addresses alone). An IPv6 address thus announces on the IPv6 group, {@code
     * [ff15::efc0:988f]:6771}, from that address.
     */
    public static List<LsdEndpoint> forListenAddresses(List<InetAddress> listenAddresses) throws SocketException {
        if (listenAddresses.isEmpty() || listenAddresses.stream()
                .anyMatch(a -> a instanceof Inet6Address && a.isAnyLocalAddress())) {
            return everyInterface(true);
        }
        List<LsdEndpoint> endpoints = new ArrayList<>();
        for (InetAddress address : listenAddresses) {
            List<LsdEndpoint> found = address.isAnyLocalAddress() ? everyInterface(false)
                    : interfaceOf(address).map(nif -> List.of(new LsdEndpoint(nif, address))).orElse(List.of());
            found.stream().filter(endpoint -> !endpoints.contains(endpoint)).forEach(endpoints::add);
        }
        return endpoints;
    }

    /**
     * Each interface that is up and can multicast, other than loopback, with its first IPv4 address and, with {@code
     * ipv6}, its first IPv6 address that is not link-local.
     */
    private static List<LsdEndpoint> everyInterface(boolean ipv6) throws SocketException {
        List<LsdEndpoint> endpoints = new ArrayList<>();
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (!nif.isUp() || nif.isLoopback() || !nif.supportsMulticast() || nif.isVirtual()) {
                continue;
            }
            nif.inetAddresses().filter(Inet4Address.class::isInstance).findFirst()
                    .ifPresent(address -> endpoints.add(new LsdEndpoint(nif, address)));
            if (ipv6) {
                nif.inetAddresses().filter(a -> a instanceof Inet6Address && !a.isLinkLocalAddress()).findFirst()
                        .ifPresent(address -> endpoints.add(new LsdEndpoint(nif, address)));
            }
        }
        return endpoints;
    }

    /** Whether {@code address} is on this endpoint's network: the only sources whose announces it believes. */
    boolean onNetwork(InetAddress address) {
        for (InterfaceAddress network : networkInterface.getInterfaceAddresses()) {
            if (sameNetwork(network.getAddress(), address, network.getNetworkPrefixLength())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<NetworkInterface> interfaceOf(InetAddress address) throws SocketException {
        NetworkInterface exact = NetworkInterface.getByInetAddress(address);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (address.isLoopbackAddress() ? nif.isLoopback()
                    : nif.getInterfaceAddresses().stream().anyMatch(network -> sameNetwork(network.getAddress(),
                    address, network.getNetworkPrefixLength()))) {
                return Optional.of(nif);
            }
        }
        return Optional.empty();
    }

    static boolean sameNetwork(InetAddress network, InetAddress address, int prefixLength) {
        byte[] a = network.getAddress();
        byte[] b = address.getAddress();
        if (a.length != b.length || prefixLength < 0 || prefixLength > 8 * a.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        return rest == 0 || ((a[whole] ^ b[whole]) & (0xff << (8 - rest))) == 0;
    }
}
