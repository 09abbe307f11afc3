package dev.jtorrent.dht;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTableTest {
    private static final long T0 = TimeUnit.HOURS.toNanos(1);
    private final Random random = new Random(5);
    private final NodeId own = NodeId.random(random);
    private final AddressFilter filter = new AddressFilter(false);

    private RoutingTable table(int maxNodes, int perIp, int perSubnet) {
        return new RoutingTable(own, filter, maxNodes, perIp, perSubnet, T0);
    }

    private RoutingTable table() {
        return table(1000, 1, 1);
    }

    private static InetSocketAddress at(int i) {
        return SimulatedNetwork.address(i);
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void splitsOnlyTheBucketHoldingOurOwnIdAndKeepsKPerBucket() {
        RoutingTable t = table();
        for (int i = 0; i < 2000; i++) {
            t.heardFrom(new Contact(NodeId.random(random), at(i)), T0);
        }
        assertThat(t.buckets()).isGreaterThan(5);
        assertThat(t.size()).isLessThanOrEqualTo(t.buckets() * RoutingTable.K);
        // Random ids mostly share few bits with ours: the far buckets are full, the near ones nearly empty.
        assertThat(t.closest(own.flip(0), 100).stream().filter(c -> own.commonPrefix(c.id()) == 0))
                .hasSize(RoutingTable.K);
        assertThat(t.held()).isLessThanOrEqualTo(t.buckets() * (RoutingTable.K + RoutingTable.REPLACEMENTS));
    }

    @Test
    void nodesNearOurIdSplitBucketsDeeply() {
        RoutingTable t = table();
        for (int bits = 0; bits < 40; bits++) {
            // shares exactly `bits` leading bits with our id
            t.heardFrom(new Contact(own.flip(bits), at(bits)), T0);
        }
        assertThat(t.size()).isEqualTo(40);
        assertThat(t.buckets()).isGreaterThanOrEqualTo(40 - RoutingTable.K);
    }

    @Test
    void neverHoldsMoreThanMaxNodes() {
        RoutingTable t = table(20, 1, 1);
        for (int i = 0; i < 10_000; i++) {
            t.heardFrom(new Contact(NodeId.random(random), at(i)), T0);
        }
        assertThat(t.size()).isEqualTo(20);
        assertThat(t.held()).isLessThanOrEqualTo(20 + t.buckets() * RoutingTable.REPLACEMENTS);
    }

    @Test
    void oneEntryPerIpAddressUnlessConfigured() throws Exception {
        RoutingTable strict = table();
        assertThat(strict.heardFrom(new Contact(NodeId.random(random), at("20.0.0.1", 1000)), T0))
                .isEqualTo(RoutingTable.Outcome.ADDED);
        assertThat(strict.heardFrom(new Contact(NodeId.random(random), at("20.0.0.1", 1001)), T0))
                .isEqualTo(RoutingTable.Outcome.REFUSED);
        RoutingTable loose = table(1000, 3, 1000);
        for (int port = 1000; port < 1003; port++) {
            assertThat(loose.heardFrom(new Contact(NodeId.random(random), at("20.0.0.1", port)), T0))
                    .isNotEqualTo(RoutingTable.Outcome.REFUSED);
        }
        assertThat(loose.heardFrom(new Contact(NodeId.random(random), at("20.0.0.1", 1004)), T0))
                .isEqualTo(RoutingTable.Outcome.REFUSED);
    }

    @Test
    void onePerSubnetPerBucketUnlessConfigured() throws Exception {
        NodeId far1 = own.flip(0).randomWithPrefix(1, random);
        NodeId far2 = own.flip(0).randomWithPrefix(1, random);
        RoutingTable strict = table();
        assertThat(strict.heardFrom(new Contact(far1, at("20.0.0.1", 1000)), T0))
                .isEqualTo(RoutingTable.Outcome.ADDED);
        assertThat(strict.heardFrom(new Contact(far2, at("20.0.0.2", 1000)), T0))
                .isEqualTo(RoutingTable.Outcome.REFUSED);
        RoutingTable loose = table(1000, 1, 2);
        loose.heardFrom(new Contact(far1, at("20.0.0.1", 1000)), T0);
        assertThat(loose.heardFrom(new Contact(far2, at("20.0.0.2", 1000)), T0))
                .isEqualTo(RoutingTable.Outcome.ADDED);
    }

    @Test
    void refusesBogusContacts() throws Exception {
        RoutingTable t = table();
        filter.addOwn(at("20.9.9.9", 6881));
        assertThat(t.heardFrom(new Contact(own, at("20.0.0.1", 1)), T0)).isEqualTo(RoutingTable.Outcome.REFUSED);
        assertThat(t.heardFrom(new Contact(NodeId.random(random), at("20.0.0.1", 0)), T0))
                .isEqualTo(RoutingTable.Outcome.REFUSED);
        assertThat(t.heardFrom(new Contact(NodeId.random(random), at("20.9.9.9", 6881)), T0))
                .isEqualTo(RoutingTable.Outcome.REFUSED);
        filter.setExternal(InetAddress.getByName("20.8.8.8"));
        assertThat(t.heardFrom(new Contact(NodeId.random(random), at("20.8.8.8", 6881)), T0))
                .as("our external address with our port").isEqualTo(RoutingTable.Outcome.REFUSED);
        for (String local : List.of("127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.1.1",
                "100.64.0.1", "0.1.2.3", "240.0.0.1", "255.255.255.255", "224.0.0.1", "::1", "fe80::1", "fd00::1")) {
            assertThat(t.heardFrom(new Contact(NodeId.random(random), at(local, 6881)), T0)).as(local)
                    .isEqualTo(RoutingTable.Outcome.REFUSED);
        }
        RoutingTable lan = new RoutingTable(own, new AddressFilter(true), 1000, 1, 1, T0);
        assertThat(lan.heardFrom(new Contact(NodeId.random(random), at("127.0.0.2", 6881)), T0))
                .isEqualTo(RoutingTable.Outcome.ADDED);
        assertThat(lan.heardFrom(new Contact(NodeId.random(random), at("224.0.0.1", 6881)), T0))
                .isEqualTo(RoutingTable.Outcome.REFUSED);
    }

    @Test
    void aNodeThatFailsRepeatedlyGivesWayToAReplacement() {
        RoutingTable t = table();
        List<Contact> far = new java.util.ArrayList<>();
        for (int i = 0; far.size() < RoutingTable.K + 1; i++) {
            Contact c = new Contact(own.flip(0).randomWithPrefix(1, random), at(i));
            far.add(c);
            t.heardFrom(c, T0);
        }
        Contact waiting = far.getLast();
        assertThat(t.contains(waiting.address())).as("the ninth waits").isFalse();
        Contact failing = far.getFirst();
        for (int i = 0; i < RoutingTable.BAD_AFTER_FAILURES - 1; i++) {
            t.failed(failing.address());
        }
        assertThat(t.contains(failing.address())).isTrue();
        t.failed(failing.address());
        assertThat(t.contains(failing.address())).isFalse();
        assertThat(t.contains(waiting.address())).isTrue();
    }

    @Test
    void aBadNodeWithoutReplacementIsLeftOutOfAnswers() {
        RoutingTable t = table();
        Contact c = new Contact(NodeId.random(random), at(1));
        t.heardFrom(c, T0);
        for (int i = 0; i < RoutingTable.BAD_AFTER_FAILURES; i++) {
            t.failed(c.address());
        }
        assertThat(t.closest(own, 8)).isEmpty();
        t.heardFrom(c, T0 + 1);
        assertThat(t.closest(own, 8)).containsExactly(c);
    }

    @Test
    void aNewIdOnAKnownAddressReplacesTheOldEntry() {
        RoutingTable t = table();
        Contact before = new Contact(NodeId.random(random), at(1));
        Contact after = new Contact(NodeId.random(random), at(1));
        t.heardFrom(before, T0);
        t.heardFrom(after, T0);
        assertThat(t.closest(own, 8)).containsExactly(after);
    }

    @Test
    void staleBucketsAreRefreshedAndQuestionableNodesPinged() {
        RoutingTable t = table();
        Contact c = new Contact(NodeId.random(random), at(1));
        t.heardFrom(c, T0);
        assertThat(t.refreshTargets(T0 + RoutingTable.REFRESH_AFTER_NANOS, random)).isEmpty();
        assertThat(t.toPing(T0 + RoutingTable.QUESTIONABLE_AFTER_NANOS, 8)).isEmpty();
        long later = T0 + RoutingTable.REFRESH_AFTER_NANOS + 1;
        List<NodeId> targets = t.refreshTargets(later, random);
        assertThat(targets).hasSize(t.buckets());
        assertThat(t.refreshTargets(later, random)).as("touched once offered").isEmpty();
        assertThat(t.toPing(later, 8)).containsExactly(c);
        assertThat(t.toPing(later, 8)).as("not pinged twice in a row").isEmpty();
        t.queriedBy(c, later);
        assertThat(t.toPing(later + RoutingTable.PING_INTERVAL_NANOS, 8)).as("a query keeps it good").isEmpty();
    }

    @Test
    void wouldAcceptMatchesWhatHeardFromDoes() {
        RoutingTable t = table();
        Contact c = new Contact(NodeId.random(random), at(1));
        assertThat(t.wouldAccept(c)).isTrue();
        t.heardFrom(c, T0);
        assertThat(t.wouldAccept(c)).isFalse();
        assertThat(t.wouldAccept(new Contact(own, at(2)))).isFalse();
    }
}
