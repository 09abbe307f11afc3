package dev.jtorrent.lsd;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where LSD announces for a list of listen addresses: each address's own group, from that address. */
class LsdEndpointTest {
    @Test
    void eachListenAddressAnnouncesOnTheGroupOfItsFamilyOnce() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        List<LsdEndpoint> endpoints = LsdEndpoint.forListenAddresses(List.of(v4, v6, v4));
        assertThat(endpoints).extracting(LsdEndpoint::source).containsExactly(v4, v6);
        assertThat(endpoints).extracting(LsdEndpoint::group).containsExactly(LsdGroup.IPV4, LsdGroup.IPV6);
        assertThat(endpoints).allSatisfy(endpoint -> assertThat(endpoint.networkInterface().isLoopback()).isTrue());
    }

    @Test
    void ipv4sWildcardAnnouncesOverIpv4Alone() throws Exception {
        assertThat(LsdEndpoint.forListenAddresses(List.of(InetAddress.getByName("0.0.0.0"))))
                .allSatisfy(endpoint -> assertThat(endpoint.group()).isEqualTo(LsdGroup.IPV4));
        assertThat(LsdEndpoint.forListenAddresses(List.of(InetAddress.getByName("::"))))
                .as("IPv6's wildcard is every interface's, as no address at all")
                .isEqualTo(LsdEndpoint.forListenAddresses(List.of()));
    }
}
