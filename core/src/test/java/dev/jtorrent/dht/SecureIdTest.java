package dev.jtorrent.dht;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SecureIdTest {
    /** The test vectors of BEP 42: the first 21 bits and the last byte are fixed by the address and rand. */
    @ParameterizedTest
    @CsvSource({
            "124.31.75.21, 1, 5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401",
            "21.75.31.124, 86, 5a3ce9c14e7a08645677bbd1cfe7d8f956d53256",
            "65.23.51.170, 22, a5d43220bc8f112a3d426c84764f8c2a1150e616",
            "84.124.73.14, 65, 1b0321dd1bb1fe518101ceef99462b947a01ff41",
            "43.213.53.83, 90, e56f6cbf5b7c4be0237986d5243b87aa6d51305a"})
    void matchesTheBepVectors(String ip, int rand, String expectedHex) throws Exception {
        byte[] expected = HexFormat.of().parseHex(expectedHex);
        NodeId id = SecureId.derive(InetAddress.getByName(ip), rand, expected);
        assertThat(id.toString()).isEqualTo(expectedHex);
        assertThat(SecureId.matches(NodeId.of(expected), InetAddress.getByName(ip))).isTrue();
        byte[] wrong = expected.clone();
        wrong[0] ^= 1;
        assertThat(SecureId.matches(NodeId.of(wrong), InetAddress.getByName(ip))).isFalse();
    }

    @Test
    void derivedIdsMatchTheirAddressForBothFamilies() throws Exception {
        Random random = new Random(3);
        for (String ip : new String[] {"8.8.8.8", "203.0.113.7", "2001:4860:4860::8888"}) {
            InetAddress a = InetAddress.getByName(ip);
            NodeId id = SecureId.derive(a, random);
            assertThat(SecureId.matches(id, a)).isTrue();
            assertThat(SecureId.matches(id, InetAddress.getByName("1.1.1.1"))).isFalse();
        }
    }
}
