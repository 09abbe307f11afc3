package dev.jtorrent.dht;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole DHTs of simulated nodes: joining through one node, announcing, and finding the announcer. */
class DhtNetworkTest {
    private static final DhtConfig CONFIG = DhtConfig.builder().routers(List.of()).build();
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Records what a search reports. */
    static final class Found implements DhtNode.SearchListener {
        final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
        volatile boolean done;
        final AtomicInteger announced = new AtomicInteger(-1);

        @Override
        public void peer(InetSocketAddress peer) {
            peers.add(peer);
        }

        @Override
        public void done(int n) {
            announced.set(n);
            done = true;
        }
    }

    @Test
    void threeHundredNodesJoinThroughOneAndFindAnAnnouncer() {
        SimulatedNetwork net = new SimulatedNetwork();
        int count = 300;
        DhtNode first = net.add(SimulatedNetwork.address(0), CONFIG);
        List<DhtNode> all = new ArrayList<>(List.of(first));
        for (int i = 1; i < count; i++) {
            DhtNode n = net.add(SimulatedNetwork.address(i), CONFIG);
            n.addNode(SimulatedNetwork.address(0), net.now);
            all.add(n);
            net.run(TimeUnit.MILLISECONDS.toNanos(100));
        }
        net.run(2 * MINUTE);

        assertThat(all.stream().mapToInt(DhtNode::routingTableSize).min().orElseThrow())
                .as("smallest routing table, of %s", all.stream().map(DhtNode::routingTableSize).toList())
                .isGreaterThanOrEqualTo(RoutingTable.K);
        double average = all.stream().mapToInt(DhtNode::routingTableSize).average().orElseThrow();
        assertThat(average).as("average routing table size").isGreaterThan(RoutingTable.K);

        NodeId infoHash = NodeId.random(new Random(7));
        DhtNode announcer = all.get(123);
        Found announce = new Found();
        announcer.search(infoHash, 51413, false, announce, net.now);
        assertThat(net.runUntil(() -> announce.done, MINUTE)).isTrue();
        assertThat(announce.announced.get()).as("nodes that stored the announce").isGreaterThanOrEqualTo(4);

        for (int seeker : new int[] {7, 250, 299}) {
            Found found = new Found();
            all.get(seeker).search(infoHash, 0, false, found, net.now);
            assertThat(net.runUntil(() -> found.done, MINUTE)).isTrue();
            assertThat(found.peers).as("peers found by node %d", seeker)
                    .contains(new InetSocketAddress(SimulatedNetwork.address(123).getAddress(), 51413));
        }
        assertThat(all).allSatisfy(n -> assertThat(n.outstanding()).isLessThanOrEqualTo(CONFIG.maxOutstanding()));
    }

    @Test
    void anImpliedPortAnnounceStoresTheUdpPort() {
        SimulatedNetwork net = new SimulatedNetwork();
        List<DhtNode> all = join(net, 40);
        NodeId infoHash = NodeId.random(new Random(8));
        Found announce = new Found();
        all.get(5).search(infoHash, 0, true, announce, net.now);
        assertThat(net.runUntil(() -> announce.done, MINUTE)).isTrue();
        Found found = new Found();
        all.get(30).search(infoHash, 0, false, found, net.now);
        assertThat(net.runUntil(() -> found.done, MINUTE)).isTrue();
        assertThat(found.peers).contains(SimulatedNetwork.address(5));
    }

    @Test
    void anIpv6OnlyDhtWorksAlone() {
        SimulatedNetwork net = new SimulatedNetwork();
        List<DhtNode> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            DhtNode n = net.add(SimulatedNetwork.address6(i), CONFIG);
            if (i > 0) {
                n.addNode(SimulatedNetwork.address6(0), net.now);
            }
            all.add(n);
            net.run(TimeUnit.MILLISECONDS.toNanos(100));
        }
        net.run(MINUTE);
        assertThat(all).allSatisfy(n -> assertThat(n.table(Family.IPV6).size()).isGreaterThan(0));
        NodeId infoHash = NodeId.random(new Random(9));
        Found announce = new Found();
        all.get(10).search(infoHash, 6000, false, announce, net.now);
        assertThat(net.runUntil(() -> announce.done, MINUTE)).isTrue();
        Found found = new Found();
        all.get(50).search(infoHash, 0, false, found, net.now);
        assertThat(net.runUntil(() -> found.done, MINUTE)).isTrue();
        assertThat(found.peers).contains(new InetSocketAddress(SimulatedNetwork.address6(10).getAddress(), 6000));
    }

    @Test
    void dualStackNodesAskForBothFamiliesAndFillBothTables() {
        SimulatedNetwork net = new SimulatedNetwork();
        List<DhtNode> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            DhtNode n = net.add(List.of(SimulatedNetwork.address(i), SimulatedNetwork.address6(i)), CONFIG);
            if (i > 0) {
                n.addNode(SimulatedNetwork.address(0), net.now);
                n.addNode(SimulatedNetwork.address6(0), net.now);
            }
            all.add(n);
            net.run(TimeUnit.MILLISECONDS.toNanos(100));
        }
        net.run(MINUTE);
        assertThat(all).allSatisfy(n -> {
            assertThat(n.table(Family.IPV4).size()).isGreaterThan(0);
            assertThat(n.table(Family.IPV6).size()).isGreaterThan(0);
        });
    }

    @Test
    void aNodeTakesABep42IdOnceSeveralNodesAgreeOnItsAddress() {
        SimulatedNetwork net = new SimulatedNetwork();
        List<DhtNode> all = join(net, 30);
        DhtNode last = all.get(29);
        assertThat(last.externalAddress()).contains(SimulatedNetwork.address(29).getAddress());
        assertThat(SecureId.matches(last.id(), SimulatedNetwork.address(29).getAddress())).isTrue();
        assertThat(last.routingTableSize()).isGreaterThan(0);
    }

    /** {@code count} nodes that joined through node 0, given a minute to settle. */
    static List<DhtNode> join(SimulatedNetwork net, int count) {
        List<DhtNode> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DhtNode n = net.add(SimulatedNetwork.address(i), CONFIG);
            if (i > 0) {
                n.addNode(SimulatedNetwork.address(0), net.now);
            }
            all.add(n);
            net.run(TimeUnit.MILLISECONDS.toNanos(100));
        }
        net.run(MINUTE);
        return all;
    }
}
