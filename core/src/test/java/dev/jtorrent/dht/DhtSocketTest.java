package dev.jtorrent.dht;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.UdpPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real sockets: nodes on loopback addresses of their own, or on a shared port, find each other and an announce. */
class DhtSocketTest {
    @TempDir
    Path dir;

    @Test
    void threeNodesOnLoopbackFindAnAnnounce() throws Exception {
        List<Dht> nodes = new ArrayList<>();
        try {
            for (int i = 2; i <= 4; i++) {
                DhtConfig config = DhtConfig.builder()
                        .bind(new InetSocketAddress(InetAddress.getByName("127.0." + i + ".1"), 0))
                        .routers(List.of())
                        .allowLocalAddresses(true)
                        .stateFile(dir.resolve("node" + i))
                        .build();
                nodes.add(Dht.start(config));
            }
            // Nodes, not routers: a router never enters a routing table, so three nodes could not find each other.
            nodes.get(1).addNode(nodes.get(0).localAddress());
            nodes.get(2).addNode(nodes.get(0).localAddress());
            awaitTrue(() -> nodes.stream().allMatch(n -> n.routingTableSize() >= 2));

            InfoHash hash = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
            int announced = nodes.get(1).announce(hash, 6881).get(30, TimeUnit.SECONDS);
            assertThat(announced).isGreaterThanOrEqualTo(1);
            Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
            nodes.get(2).getPeers(hash, found::add).get(30, TimeUnit.SECONDS);
            assertThat(found).contains(new InetSocketAddress(InetAddress.getByName("127.0.3.1"), 6881));
            // Two voters are too few to agree on an address (ExternalAddressVote.MIN_VOTES); the session can say it.
            assertThat(nodes.get(2).externalAddress()).isEmpty();
            nodes.get(2).setExternalAddress(InetAddress.getByName("127.0.4.1"));
            assertThat(nodes.get(2).externalAddress()).contains(InetAddress.getByName("127.0.4.1"));
        } finally {
            nodes.forEach(Dht::close);
        }
        assertThat(DhtState.load(dir.resolve("node3"))).hasValueSatisfying(
                s -> assertThat(s.nodes()).isNotEmpty());
    }

    @Test
    void dualStackNodesFillARoutingTablePerFamily() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(v6, 0))) {
            assertThat(probe.getLocalAddress()).isEqualTo(v6);
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
        List<Dht> nodes = new ArrayList<>();
        try {
            for (int i = 7; i <= 8; i++) {
                nodes.add(Dht.start(DhtConfig.builder()
                        .bind(new InetSocketAddress(InetAddress.getByName("127.0." + i + ".1"), 0))
                        .bind6(new InetSocketAddress(v6, 0))
                        .routers(List.of())
                        .allowLocalAddresses(true)
                        .build()));
            }
            Dht first = nodes.getFirst();
            nodes.get(1).addNode(first.localAddress());
            nodes.get(1).addNode(first.localAddress6().orElseThrow());
            awaitTrue(() -> nodes.stream().allMatch(n -> n.routingTableSize() == 2));
        } finally {
            nodes.forEach(Dht::close);
        }
    }

    /**
     * A node on a session's port bound to every address (one dual-stack socket) speaks both families (BEP 32): an
     * IPv4 node and an IPv6 node reach it at the same port, and each enters its table of its own family.
     */
    @Test
    void aNodeOnAWildcardPortAnswersBothFamilies() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeIpv6Loopback(v6);
        DhtConfig config = DhtConfig.builder().routers(List.of()).allowLocalAddresses(true).build();
        try (UdpPort port = UdpPort.listen(List.of(), 0);
             Dht shared = Dht.start(config, port);
             Dht four = Dht.start(config.toBuilder()
                     .bind(new InetSocketAddress(InetAddress.getByName("127.0.11.1"), 0)).build());
             Dht six = Dht.start(config.toBuilder().bind(new InetSocketAddress(v6, 0)).build())) {
            assertThat(shared.localAddress()).isEqualTo(port.localAddresses().getFirst());
            assertThat(shared.localAddress6()).contains(port.localAddresses().getFirst());
            four.addNode(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port.port()));
            six.addNode(new InetSocketAddress(v6, port.port()));

            awaitTrue(() -> four.routingTableSize() == 1 && six.routingTableSize() == 1);
            // It pings back whoever queried it, and each answers from its own family.
            awaitTrue(() -> shared.routingTableSize() == 2);
        }
    }

    /** The node leaves a port it shares open when it closes, and KRPC messages then find no taker there. */
    @Test
    void aNodeOnASharedPortLeavesItOpen() throws Exception {
        DhtConfig config = DhtConfig.builder().routers(List.of()).allowLocalAddresses(true).build();
        try (UdpPort port = UdpPort.listen(List.of(InetAddress.getByName("127.0.12.1")), 0);
             Dht other = Dht.start(config.toBuilder()
                     .bind(new InetSocketAddress(InetAddress.getByName("127.0.13.1"), 0)).build())) {
            Dht shared = Dht.start(config, port);
            assertThat(shared.localAddress6()).isEmpty();
            shared.close();
            other.addNode(new InetSocketAddress(InetAddress.getByName("127.0.12.1"), port.port()));

            awaitTrue(() -> port.unknown() == 1); // the ping came, and nobody took it
            port.send(java.nio.ByteBuffer.wrap(new byte[] {'x'}), other.localAddress()); // still open
        }
    }

    @Test
    void startsWithRoutersThatDoNotResolve() throws Exception {
        DhtConfig config = DhtConfig.builder()
                .bind(new InetSocketAddress(InetAddress.getByName("127.0.5.1"), 0))
                .routers(List.of(InetSocketAddress.createUnresolved("no-such-host.invalid", 6881)))
                .allowLocalAddresses(true)
                .build();
        try (Dht dht = Dht.start(config)) {
            assertThat(dht.routingTableSize()).isZero();
            dht.getPeers(InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567"), p -> { })
                    .get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closingFailsTheSearchesUnderWay() throws Exception {
        DhtConfig config = DhtConfig.builder()
                .bind(new InetSocketAddress(InetAddress.getByName("127.0.9.1"), 0))
                .routers(List.of())
                .allowLocalAddresses(true)
                .build();
        Dht dht = Dht.start(config);
        // A node that answered once, then went away, keeps the search waiting until its query times out.
        try (Dht gone = Dht.start(config.toBuilder()
                .bind(new InetSocketAddress(InetAddress.getByName("127.0.10.1"), 0)).build())) {
            dht.addNode(gone.localAddress());
            awaitTrue(() -> dht.routingTableSize() == 1);
        }
        java.util.concurrent.CompletableFuture<Void> search = dht.getPeers(
                InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567"), p -> { });
        dht.close();
        assertThat(search).failsWithin(5, TimeUnit.SECONDS)
                .withThrowableThat().withCauseInstanceOf(IllegalStateException.class);
        assertThat(dht.announce(InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567"), 1))
                .isCompletedExceptionally();
    }

    private static void assumeIpv6Loopback(InetAddress v6) {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(v6, 0))) {
            assertThat(probe.getLocalAddress()).isEqualTo(v6);
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(end);
            Thread.sleep(50);
        }
    }
}
