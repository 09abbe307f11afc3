package dev.jtorrent.daemon;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientWhitelistTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void transmissionWildcardsMatchWholeOctets() throws Exception {
        ClientWhitelist whitelist = ClientWhitelist.parse("127.0.0.1, ::1 ,192.168.*.*");
        assertThat(whitelist.test(ip("127.0.0.1"))).isTrue();
        assertThat(whitelist.test(ip("::1"))).isTrue();
        assertThat(whitelist.test(ip("192.168.4.200"))).isTrue();
        assertThat(whitelist.test(ip("192.169.4.200"))).isFalse();
        assertThat(whitelist.test(ip("127.0.0.2"))).isFalse();
        assertThat(whitelist.test(ip("::2"))).isFalse();
    }

    @Test
    void cidrBlocksOfBothFamilies() throws Exception {
        ClientWhitelist whitelist = ClientWhitelist.parse("10.0.0.0/8,fd00::/8,192.0.2.128/25");
        assertThat(whitelist.test(ip("10.255.1.2"))).isTrue();
        assertThat(whitelist.test(ip("11.0.0.1"))).isFalse();
        assertThat(whitelist.test(ip("fd12:3456::1"))).isTrue();
        assertThat(whitelist.test(ip("fe80::1"))).isFalse();
        assertThat(whitelist.test(ip("192.0.2.200"))).isTrue();
        assertThat(whitelist.test(ip("192.0.2.100"))).isFalse();
        assertThat(ClientWhitelist.parse("0.0.0.0/0").test(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void anIpv4MappedAddressIsMatchedAsItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[13] = (byte) 168;
        mapped[14] = 1;
        mapped[15] = 7;
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(ClientWhitelist.parse("192.168.1.*").test(v6)).isTrue();
        assertThat(ClientWhitelist.normalised(v6)).isEqualTo(ip("192.168.1.7"));
        assertThat(ClientWhitelist.parse("::ffff:10.0.0.1").test(ip("10.0.0.1"))).isTrue();
    }

    @Test
    void theDefaultIsLoopbackOnly() throws Exception {
        ClientWhitelist loopback = ClientWhitelist.loopback();
        assertThat(loopback.test(ip("127.0.0.1"))).isTrue();
        assertThat(loopback.test(ip("::1"))).isTrue();
        assertThat(loopback.test(ip("192.168.0.1"))).isFalse();
    }

    @Test
    void namesAndMalformedEntriesAreRefusedNamingTheEntry() {
        for (String bad : new String[] {"localhost", "example.com", "1.2.3", "1.2.3.256", "1.2.3.4/33", "::/129",
                "1.2.*", "1.2.3.4/x", "*", "1.2.3.04444"}) {
            assertThatThrownBy(() -> ClientWhitelist.parse("127.0.0.1," + bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void aWhitelistHasAtMostMaxEntries() {
        String atLimit = String.join(",", Collections.nCopies(ClientWhitelist.MAX_ENTRIES, "10.0.0.1"));
        assertThat(ClientWhitelist.parse(atLimit)).isNotNull();
        assertThatThrownBy(() -> ClientWhitelist.parse(atLimit + ",10.0.0.2"))
                .hasMessageContaining("more than " + ClientWhitelist.MAX_ENTRIES);
    }
}
