package dev.jtorrent.dht;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DhtStateTest {
    private final Random random = new Random(4);

    @TempDir
    Path dir;

    @Test
    void roundTripsTheIdAndNodesOfBothFamilies() throws Exception {
        List<Contact> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(new Contact(NodeId.random(random), SimulatedNetwork.address(i)));
            nodes.add(new Contact(NodeId.random(random), SimulatedNetwork.address6(i)));
        }
        DhtState state = new DhtState(NodeId.random(random), nodes);
        Path file = dir.resolve("sub/dht.state");
        state.save(file);
        assertThat(DhtState.load(file)).hasValueSatisfying(loaded -> {
            assertThat(loaded.id()).isEqualTo(state.id());
            assertThat(loaded.nodes()).containsExactlyInAnyOrderElementsOf(nodes);
        });
        assertThat(Files.list(file.getParent())).as("no temporary file left").containsExactly(file);
    }

    @Test
    void savesAtMostMaxNodesPerFamily() throws Exception {
        List<Contact> nodes = new ArrayList<>();
        for (int i = 0; i < DhtState.MAX_NODES + 50; i++) {
            nodes.add(new Contact(NodeId.random(random), SimulatedNetwork.address(i)));
        }
        DhtState state = new DhtState(NodeId.random(random), nodes);
        assertThat(DhtState.parse(state.encode()).nodes()).hasSize(DhtState.MAX_NODES);
    }

    @Test
    void aMissingFileIsNoState() {
        assertThat(DhtState.load(dir.resolve("none"))).isEmpty();
    }

    @Test
    void aCorruptTruncatedOrOversizedFileIsIgnored() throws Exception {
        Path file = dir.resolve("dht.state");
        byte[] good = new DhtState(NodeId.random(random),
                List.of(new Contact(NodeId.random(random), SimulatedNetwork.address(1)))).encode();
        for (byte[] bad : List.of(new byte[0], "garbage".getBytes(), java.util.Arrays.copyOf(good, good.length - 3),
                "d2:id3:abce".getBytes(), "d2:id20:abcdefghij01234567895:nodes5:abcdee".getBytes(),
                new byte[DhtState.MAX_SIZE + 1])) {
            Files.write(file, bad);
            assertThat(DhtState.load(file)).isEmpty();
        }
        assertThatThrownBy(() -> DhtState.parse("le".getBytes())).isInstanceOf(DhtState.InvalidStateException.class);
    }

    @Test
    void aNodeStartsWithItsSavedIdAndAsksItsSavedNodesFirst() {
        SimulatedNetwork net = new SimulatedNetwork();
        List<DhtNode> all = DhtNetworkTest.join(net, 20);
        DhtState saved = all.get(5).state();
        assertThat(saved.nodes()).isNotEmpty();

        DhtConfig config = DhtConfig.builder().routers(List.of()).build();
        DhtNode restarted = new DhtNode(config, java.util.Set.of(Family.IPV4), List.of(SimulatedNetwork.address(99)),
                (to, bytes) -> net.inject(SimulatedNetwork.address(99), to, bytes), new Random(1),
                java.util.Optional.of(saved), net.now);
        net.nodes.put(SimulatedNetwork.address(99), restarted);
        assertThat(restarted.id()).isEqualTo(saved.id());
        restarted.bootstrap(List.of(), net.now);
        net.run(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
        assertThat(restarted.routingTableSize()).isGreaterThanOrEqualTo(Math.min(8, saved.nodes().size()));
    }
}
