package dev.jtorrent.session;

import dev.jtorrent.net.BindAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

import static dev.jtorrent.session.SessionIpv6Test.address;
import static org.assertj.core.api.Assertions.assertThat;

class AnnouncedIpv6Test {
    private static final InetAddress GLOBAL = address("2001:db8::7");
    private static final InetAddress OTHER_GLOBAL = address("2a00:1450::1");
    private static final Supplier<List<InetAddress>> MACHINE = () -> List.of(address("127.0.0.1"), address("::1"),
            address("fe80::1"), address("fd00::1"), address("192.0.2.4"), GLOBAL);

    @Test
    void onlyGlobalIpv6AddressesAreAnnounced() {
        assertThat(AnnouncedIpv6.isGlobal(GLOBAL)).isTrue();
        for (String local : List.of("::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "ff02::1", "fec0::1",
                "192.0.2.1")) {
            assertThat(AnnouncedIpv6.isGlobal(address(local))).as(local).isFalse();
        }
    }

    @Test
    void withoutBindAddressesTheMachinesFirstGlobalOneIsAnnounced() {
        assertThat(AnnouncedIpv6.choose(BindAddresses.ANY, MACHINE)).contains(GLOBAL);
        assertThat(AnnouncedIpv6.choose(new BindAddresses(List.of(address("::"))), MACHINE)).contains(GLOBAL);
    }

    @Test
    void withBindAddressesOnlyAGlobalOneOfThemIsAnnounced() {
        Supplier<List<InetAddress>> never = () -> {
            throw new AssertionError("the machine's addresses are not asked");
        };
        assertThat(AnnouncedIpv6.choose(new BindAddresses(List.of(address("192.0.2.4"), OTHER_GLOBAL)), never))
                .contains(OTHER_GLOBAL);
        assertThat(AnnouncedIpv6.choose(new BindAddresses(List.of(address("::1"))), never)).isEmpty();
        assertThat(AnnouncedIpv6.choose(new BindAddresses(List.of(address("192.0.2.4"))), never)).isEmpty();
    }
}
