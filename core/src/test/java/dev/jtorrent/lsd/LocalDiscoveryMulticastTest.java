package dev.jtorrent.lsd;

import dev.jtorrent.Prerequisite;
import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@link LocalDiscovery}s on real sockets find each other through the IPv4 group, on the loopback interface:
 * each sends from its own 127.x address out of {@code lo}, as two libtorrents on loopback addresses do (Linux
 * delivers multicast on {@code lo} although it has no MULTICAST flag), so nothing leaves the machine. Where the
 * loopback interface carries no multicast, the test needs it (or a network namespace of its own) and says so.
 */
class LocalDiscoveryMulticastTest {
    private static final InfoHash X = InfoHash.fromHex("1111111111111111111111111111111111111111");
    private static final InfoHash Y = InfoHash.fromHex("2222222222222222222222222222222222222222");
    private static final long WAIT_SECONDS = 10;

    @Test
    @Timeout(60)
    void twoClientsOnLoopbackAddressesFindEachOtherAndNotThemselves() throws Exception {
        InetAddress addressA = InetAddress.getByName("127.0.0.2");
        InetAddress addressB = InetAddress.getByName("127.0.0.3");
        BlockingQueue<LocalPeer> heardByA = new LinkedBlockingQueue<>();
        BlockingQueue<LocalPeer> heardByB = new LinkedBlockingQueue<>();
        try (LocalDiscovery a = open(addressA, 40_001, heardByA);
             LocalDiscovery b = open(addressB, 40_002, heardByB)) {
            assertThat(a.endpoints()).singleElement().satisfies(endpoint ->
                    assertThat(endpoint.networkInterface().isLoopback()).isTrue());

            // The one that registers later is heard for sure: its announce comes when the other has the torrent.
            a.register(X, false).orElseThrow();
            b.register(X, false).orElseThrow();
            List<LocalPeer> seenByA = awaitPeer(heardByA, new LocalPeer(X, new InetSocketAddress(addressB, 40_002)));

            b.register(Y, false).orElseThrow();
            a.register(Y, false).orElseThrow();
            List<LocalPeer> seenByB = awaitPeer(heardByB, new LocalPeer(Y, new InetSocketAddress(addressA, 40_001)));

            assertThat(seenByA).as("A never hears itself").allSatisfy(peer ->
                    assertThat(peer.address()).isEqualTo(new InetSocketAddress(addressB, 40_002)));
            assertThat(seenByB).as("B never hears itself").allSatisfy(peer ->
                    assertThat(peer.address()).isEqualTo(new InetSocketAddress(addressA, 40_001)));
        }
    }

    @Test
    @Timeout(60)
    void aPrivateTorrentIsNotRegisteredAndAClosedDiscoveryRegistersNothing() throws Exception {
        LocalDiscovery discovery = open(InetAddress.getByName("127.0.0.4"), 40_003, new LinkedBlockingQueue<>());
        try (discovery) {
            assertThat(discovery.register(X, true)).isEmpty();
        }
        assertThat(discovery.register(Y, false)).isEmpty();
        discovery.close(); // idempotent
    }

    /** Waits for {@code expected} to be heard, and returns every peer heard until then. */
    private static List<LocalPeer> awaitPeer(BlockingQueue<LocalPeer> heard, LocalPeer expected)
            throws InterruptedException {
        List<LocalPeer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!seen.contains(expected)) {
            LocalPeer peer = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(peer).as("heard %s within %d s; heard only %s", expected, WAIT_SECONDS, seen).isNotNull();
            seen.add(peer);
        }
        return seen;
    }

    private static LocalDiscovery open(InetAddress address, int port, BlockingQueue<LocalPeer> heard)
            throws IOException {
        List<LsdEndpoint> endpoints = LsdEndpoint.forListenAddress(Optional.of(address));
        Prerequisite.require(!endpoints.isEmpty(), "a loopback interface for " + address.getHostAddress());
        try {
            return LocalDiscovery.open(endpoints, port, heard::add);
        } catch (IOException e) {
            throw Prerequisite.unmet("multicast on the loopback interface (joining 239.192.152.143 on lo: " + e
                    + "); or run the test in a network namespace whose lo is up");
        }
    }
}
