package dev.jtorrent.dht;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PeerStoreTest {
    private final Random random = new Random(2);

    @Test
    void keepsAtMostMaxPeersPerTorrentTheNewest() {
        PeerStore store = new PeerStore(10, 100);
        NodeId hash = NodeId.random(random);
        for (int i = 0; i < 150; i++) {
            store.announce(hash, SimulatedNetwork.address(i), i);
        }
        assertThat(store.peers()).isEqualTo(100);
        assertThat(store.peers(hash, Family.IPV4, 1000, 200, random))
                .hasSize(100).doesNotContain(SimulatedNetwork.address(0)).contains(SimulatedNetwork.address(149));
    }

    @Test
    void keepsAtMostMaxTorrentsTheMostRecentlyAnnounced() {
        PeerStore store = new PeerStore(2000, 100);
        NodeId first = NodeId.random(random);
        store.announce(first, SimulatedNetwork.address(1), 0);
        for (int i = 0; i < 5000; i++) {
            store.announce(NodeId.random(random), SimulatedNetwork.address(i), i);
        }
        assertThat(store.torrents()).isEqualTo(2000);
        assertThat(store.peers()).isEqualTo(2000);
        assertThat(store.peers(first, Family.IPV4, 50, 6000, random)).isEmpty();
    }

    @Test
    void answersABoundedRandomChoiceOfTheRequestersFamily() {
        PeerStore store = new PeerStore(10, 100);
        NodeId hash = NodeId.random(random);
        for (int i = 0; i < 80; i++) {
            store.announce(hash, SimulatedNetwork.address(i), 0);
            store.announce(hash, SimulatedNetwork.address6(i), 0);
        }
        assertThat(store.peers(hash, Family.IPV4, DhtNode.MAX_VALUES_PER_REPLY, 1, random))
                .hasSize(DhtNode.MAX_VALUES_PER_REPLY)
                .allSatisfy(p -> assertThat(Family.of(p.getAddress())).isEqualTo(Family.IPV4));
        assertThat(store.peers(hash, Family.IPV6, 1000, 1, random)).hasSize(50);
    }

    @Test
    void announcesExpireAfterThirtyMinutes() {
        PeerStore store = new PeerStore(10, 100);
        NodeId hash = NodeId.random(random);
        InetSocketAddress peer = SimulatedNetwork.address(1);
        store.announce(hash, peer, 0);
        assertThat(store.peers(hash, Family.IPV4, 10, PeerStore.PEER_TTL_NANOS - 1, random)).containsExactly(peer);
        assertThat(store.peers(hash, Family.IPV4, 10, PeerStore.PEER_TTL_NANOS, random)).isEmpty();
        store.expire(PeerStore.PEER_TTL_NANOS);
        assertThat(store.torrents()).isZero();
        assertThat(store.peers()).isZero();
    }
}
