package dev.jtorrent.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The local addresses a client is bound to ({@code --bind}, repeatable), and which of them a connection to a remote
 * address leaves from. A connection leaves from the first address of the remote's family: a socket bound to an IPv4
 * address cannot reach an IPv6 one, and leaving from the system's choice instead would break the promise of the
 * bind (traffic from an address the user did not allow). So a remote address of a family with no address in the
 * list cannot be reached at all, and callers skip it rather than try.
 *
 * <p>No address at all means every address of both families, the system choosing the source. The wildcards count as
 * their family's every address: IPv4's {@code 0.0.0.0} reaches IPv4 only, and IPv6's {@code ::} both families, since
 * a socket bound to it is dual-stack (Java opens IPv6 sockets with {@code IPV6_V6ONLY} off), as a listener on it
 * takes both families' connections.
 *
 * @param addresses the addresses, in the order given, without repeats
 */
public record BindAddresses(List<InetAddress> addresses) {
    /** No bind: every address of both families. */
    public static final BindAddresses ANY = new BindAddresses(List.of());

    public BindAddresses {
        List<InetAddress> distinct = new ArrayList<>();
        for (InetAddress address : Objects.requireNonNull(addresses, "addresses")) {
            if (!distinct.contains(Objects.requireNonNull(address, "address"))) {
                distinct.add(address);
            }
        }
        addresses = List.copyOf(distinct);
    }

    /** The one address given, or none for an empty {@code address}. */
    public static BindAddresses of(Optional<InetAddress> address) {
        return new BindAddresses(address.stream().toList());
    }

    /** Whether no address was given: every address of both families. */
    public boolean isAny() {
        return addresses.isEmpty();
    }

    /** Whether a connection can go to {@code remote} from one of these addresses. */
    public boolean canReach(InetAddress remote) {
        return isAny() || addresses.stream().anyMatch(local -> covers(local, remote));
    }

    /**
     * The address a connection to {@code remote} is bound to before it connects: the first one of its family, or
     * empty when the system chooses (no bind at all, or a wildcard that covers it). Ask {@link #canReach} first: for
     * a remote that cannot be reached, this is empty as well.
     */
    public Optional<InetAddress> localFor(InetAddress remote) {
        for (InetAddress local : addresses) {
            if (covers(local, remote)) {
                return local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local);
            }
        }
        return Optional.empty();
    }

    /** The IPv6 addresses among them. */
    public List<InetAddress> ipv6() {
        return addresses.stream().filter(Inet6Address.class::isInstance).toList();
    }

    /** Whether a socket bound to {@code local} can connect to {@code remote}. */
    private static boolean covers(InetAddress local, InetAddress remote) {
        if (local instanceof Inet6Address && local.isAnyLocalAddress()) {
            return true;
        }
        return (local instanceof Inet4Address) == (remote instanceof Inet4Address);
    }

    @Override
    public String toString() {
        return isAny() ? "*" : String.join(",", addresses.stream().map(InetAddress::getHostAddress).toList());
    }
}
