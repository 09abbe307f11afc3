package dev.jtorrent.tracker;

import dev.jtorrent.net.BindAddresses;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How tracker clients reach trackers.
 *
 * @param bindAddresses    the local addresses announces leave from ({@code --bind}), so the tracker records the
 *                         address peers should connect to: the one of the tracker's family ({@link
 *                         BindAddresses#localFor}); none for the system's choice
 * @param ipv6             our IPv6 address that peers can reach, sent as BEP 7's {@code ipv6} parameter, so that a
 *                         tracker we reach over IPv4 can list us to IPv6 peers too; empty to send none
 * @param connectTimeout   the longest an HTTP connection may take to open
 * @param requestTimeout   the longest one HTTP announce or scrape may take, redirects and body included
 * @param udpBaseTimeout   BEP 15's 15 seconds: a UDP request is resent after {@code base * 2^n}
 * @param udpMaxRetransmit BEP 15's 8: the largest n; the exchange fails once attempt n has timed out
 */
public record TrackerConfig(BindAddresses bindAddresses, Optional<InetAddress> ipv6, Duration connectTimeout,
                            Duration requestTimeout, Duration udpBaseTimeout, int udpMaxRetransmit) {

    /**
     * The defaults: 5 s to connect (time for two of TCP's SYN retransmissions, at 1 s and 3 s; a tracker that takes
     * longer is as good as dead), 30 s per HTTP request, BEP 15's 15 s * 2^n for n up to 8.
     */
    public static final TrackerConfig DEFAULTS = new TrackerConfig(BindAddresses.ANY, Optional.empty(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(15), 8);

    public TrackerConfig {
        Objects.requireNonNull(bindAddresses, "bindAddresses");
        Objects.requireNonNull(ipv6, "ipv6");
        if (ipv6.isPresent() && !(ipv6.get() instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IPv6 address: " + ipv6.get().getHostAddress());
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(udpBaseTimeout, "udpBaseTimeout");
        if (udpMaxRetransmit < 0 || udpMaxRetransmit > 8) {
            throw new IllegalArgumentException("udpMaxRetransmit must be in 0..8: " + udpMaxRetransmit);
        }
    }

    /** These settings bound to {@code address} alone. */
    public TrackerConfig withBindAddress(InetAddress address) {
        return withBindAddresses(new BindAddresses(List.of(address)));
    }

    public TrackerConfig withBindAddresses(BindAddresses addresses) {
        return new TrackerConfig(addresses, ipv6, connectTimeout, requestTimeout, udpBaseTimeout, udpMaxRetransmit);
    }

    /** These settings announcing {@code address} as our IPv6 address (BEP 7), or none. */
    public TrackerConfig withIpv6(Optional<InetAddress> address) {
        return new TrackerConfig(bindAddresses, address, connectTimeout, requestTimeout, udpBaseTimeout,
                udpMaxRetransmit);
    }

    public TrackerConfig withTimeouts(Duration connect, Duration request) {
        return new TrackerConfig(bindAddresses, ipv6, connect, request, udpBaseTimeout, udpMaxRetransmit);
    }

    public TrackerConfig withUdpRetransmission(Duration base, int maxRetransmit) {
        return new TrackerConfig(bindAddresses, ipv6, connectTimeout, requestTimeout, base, maxRetransmit);
    }

    /**
     * The address a connection to the tracker at {@code tracker} is bound to; empty for the system's choice.
     *
     * @throws TrackerException if no bind address is of the tracker's family, so that it cannot be reached
     */
    Optional<InetAddress> localFor(InetAddress tracker) throws TrackerException {
        if (!bindAddresses.canReach(tracker)) {
            throw new TrackerException("cannot reach the tracker at " + tracker.getHostAddress()
                    + ": no bind address of its family (bound to " + bindAddresses + ")");
        }
        return bindAddresses.localFor(tracker);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
