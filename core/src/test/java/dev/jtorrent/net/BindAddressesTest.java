package dev.jtorrent.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BindAddressesTest {
    private static final InetAddress V4 = ip("192.0.2.10");
    private static final InetAddress V4_OTHER = ip("198.51.100.7");
    private static final InetAddress V6 = ip("2001:db8::10");
    private static final InetAddress PEER4 = ip("203.0.113.5");
    private static final InetAddress PEER6 = ip("2001:db8:1::5");

    @Test
    void noAddressReachesBothFamiliesFromTheSystemsChoice() {
        assertThat(BindAddresses.ANY.canReach(PEER4)).isTrue();
        assertThat(BindAddresses.ANY.canReach(PEER6)).isTrue();
        assertThat(BindAddresses.ANY.localFor(PEER6)).isEmpty();
    }

    @Test
    void eachRemoteIsReachedFromTheFirstAddressOfItsFamily() {
        BindAddresses binds = new BindAddresses(List.of(V4, V6, V4_OTHER));
        assertThat(binds.localFor(PEER4)).contains(V4);
        assertThat(binds.localFor(PEER6)).contains(V6);
        assertThat(binds.canReach(PEER4)).isTrue();
        assertThat(binds.canReach(PEER6)).isTrue();
    }

    @Test
    void aFamilyWithoutAnAddressCannotBeReached() {
        BindAddresses ipv4Only = new BindAddresses(List.of(V4));
        assertThat(ipv4Only.canReach(PEER6)).isFalse();
        assertThat(ipv4Only.canReach(PEER4)).isTrue();
        BindAddresses ipv6Only = new BindAddresses(List.of(ip("::1")));
        assertThat(ipv6Only.canReach(ip("127.0.0.1"))).isFalse();
        assertThat(ipv6Only.canReach(ip("::1"))).isTrue();
    }

    @Test
    void ipv6sWildcardIsDualStackAndIpv4sCoversIpv4Alone() {
        BindAddresses any6 = new BindAddresses(List.of(ip("::")));
        assertThat(any6.canReach(PEER4)).isTrue();
        assertThat(any6.canReach(PEER6)).isTrue();
        assertThat(any6.localFor(PEER4)).as("the system chooses").isEmpty();

        BindAddresses any4 = new BindAddresses(List.of(ip("0.0.0.0")));
        assertThat(any4.canReach(PEER4)).isTrue();
        assertThat(any4.canReach(PEER6)).isFalse();
        assertThat(any4.localFor(PEER4)).isEmpty();
    }

    @Test
    void anIpv4MappedRemoteCountsAsIpv4() {
        // The JDK makes ::ffff:a.b.c.d an Inet4Address, as a dual-stack socket reports IPv4 peers.
        InetAddress mapped = ip("::ffff:203.0.113.5");
        assertThat(new BindAddresses(List.of(V4)).localFor(mapped)).contains(V4);
        assertThat(new BindAddresses(List.of(V6)).canReach(mapped)).isFalse();
    }

    @Test
    void repeatsCountOnceAndOrderIsKept() {
        BindAddresses binds = new BindAddresses(List.of(V6, V4, V6));
        assertThat(binds.addresses()).containsExactly(V6, V4);
        assertThat(binds.ipv6()).containsExactly(V6);
        assertThat(binds).hasToString("2001:db8:0:0:0:0:0:10,192.0.2.10");
        assertThat(BindAddresses.of(Optional.of(V4)).addresses()).containsExactly(V4);
        assertThat(BindAddresses.of(Optional.empty()).isAny()).isTrue();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
