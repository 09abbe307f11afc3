package dev.jtorrent.swarm;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownPeersTest {
    private static final InetSocketAddress LIAR = new InetSocketAddress("127.0.0.2", 6881);
    private static final InetSocketAddress LIAR_AGAIN = new InetSocketAddress("127.0.0.2", 51234);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.3", 6881);

    @Test
    void aBanHoldsForTheWholeIpWhateverThePort() {
        KnownPeers known = new KnownPeers();
        known.add(List.of(LIAR, OTHER));
        known.ban(LIAR);

        assertThat(known.isBanned(LIAR_AGAIN)).as("an incoming connection from a new port").isTrue();
        assertThat(known.connected(LIAR_AGAIN)).isFalse();
        assertThat(known.isBanned(OTHER)).isFalse();
    }

    @Test
    void aBannedIpIsNotDialled() {
        KnownPeers known = new KnownPeers();
        known.ban(LIAR_AGAIN); // banned while it was connected to us from another port
        known.add(List.of(LIAR, OTHER));

        assertThat(known.takeForConnecting(10, 0)).containsExactly(OTHER);
    }

    @Test
    void ourOwnAddressIsNeverDialledAgainButItsIpIsNotBanned() {
        KnownPeers known = new KnownPeers();
        known.add(List.of(LIAR, OTHER));
        known.takeForConnecting(10, 0);
        known.ownAddress(LIAR);

        assertThat(known.connected(LIAR)).isFalse();
        assertThat(known.isBanned(LIAR_AGAIN)).isFalse();
        known.failed(OTHER, 0);
        assertThat(known.takeForConnecting(10, Long.MAX_VALUE)).containsExactly(OTHER);
    }

    @Test
    void bansAreBounded() {
        KnownPeers known = new KnownPeers();
        for (int i = 0; i <= KnownPeers.MAX_KNOWN; i++) {
            known.ban(new InetSocketAddress("10.0." + (i >> 8) + "." + (i & 0xFF), 1));
        }
        assertThat(known.isBanned(new InetSocketAddress("10.0.0.0", 1))).as("the oldest ban is lifted").isFalse();
        assertThat(known.isBanned(new InetSocketAddress("10.0.0.1", 1))).isTrue();
    }
}
