package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalDiscoveryLogicTest {
    private static final int PORT = 6881;
    private static final String COOKIE = "0c00c1e0";
    /** An arbitrary origin, far from 0, as {@link System#nanoTime()}'s may be. */
    private static final long T0 = -5_000_000_000_000L;
    private static final InfoHash A = hash(1);
    private static final InfoHash B = hash(2);

    private final LocalDiscoveryLogic logic = new LocalDiscoveryLogic(PORT, COOKIE, T0);

    private static InfoHash hash(int n) {
        byte[] bytes = new byte[InfoHash.LENGTH];
        bytes[0] = (byte) n;
        bytes[1] = (byte) (n >> 8);
        bytes[19] = 1;
        return InfoHash.of(bytes);
    }

    private static List<InfoHash> hashes(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(LocalDiscoveryLogicTest::hash).toList();
    }

    private static long at(Duration elapsed) {
        return T0 + elapsed.toNanos();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] announce(int port, String cookie, InfoHash... hashes) {
        return new LsdMessage(LsdGroup.IPV4, port, List.of(hashes), Optional.ofNullable(cookie)).encode();
    }

    private List<InfoHash> polled(long now) {
        return logic.pollAnnounce(now).map(LsdMessage::infoHashes).orElse(List.of());
    }

    @Test
    void announcesATorrentAtOnceThenEveryFiveMinutes() {
        logic.register(A, false, T0);

        LsdMessage first = logic.pollAnnounce(T0).orElseThrow();
        assertThat(first).isEqualTo(new LsdMessage(LsdGroup.IPV4, PORT, List.of(A), Optional.of(COOKIE)));
        assertThat(logic.pollAnnounce(T0)).isEmpty();
        assertThat(logic.nextAnnounceAt(T0)).hasValue(at(LocalDiscoveryLogic.ANNOUNCE_INTERVAL));
        assertThat(logic.pollAnnounce(at(LocalDiscoveryLogic.ANNOUNCE_INTERVAL.minusNanos(1)))).isEmpty();
        assertThat(polled(at(LocalDiscoveryLogic.ANNOUNCE_INTERVAL))).containsExactly(A);
        assertThat(logic.nextAnnounceAt(at(LocalDiscoveryLogic.ANNOUNCE_INTERVAL)))
                .hasValue(at(LocalDiscoveryLogic.ANNOUNCE_INTERVAL.multipliedBy(2)));
    }

    @Test
    void nothingIsAnnouncedOrAwaitedWithoutATorrent() {
        assertThat(logic.pollAnnounce(T0)).isEmpty();
        assertThat(logic.nextAnnounceAt(T0)).isEmpty();
    }

    @Test
    void batchesTheTorrentsDueIntoAsFewDatagramsAsTheBoundAllowsLongestDueFirst() {
        List<InfoHash> early = hashes(100, 10);
        early.forEach(h -> logic.register(h, false, T0));
        long later = at(Duration.ofSeconds(1));
        List<InfoHash> late = hashes(200, LsdMessage.MAX_INFO_HASHES);
        late.forEach(h -> logic.register(h, false, later));

        List<InfoHash> first = polled(later);
        List<InfoHash> second = polled(later);

        assertThat(first).hasSize(LsdMessage.MAX_INFO_HASHES).startsWith(early.toArray(InfoHash[]::new));
        assertThat(second).hasSize(10).doesNotContainAnyElementsOf(first);
        List<InfoHash> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).containsExactlyInAnyOrderElementsOf(concat(early, late));
        assertThat(logic.pollAnnounce(later)).isEmpty();
    }

    private static List<InfoHash> concat(List<InfoHash> a, List<InfoHash> b) {
        List<InfoHash> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    @Test
    void sendsABurstOfDatagramsThenOneEachSendPeriod() {
        long now = T0;
        for (int i = 0; i < LocalDiscoveryLogic.SEND_BURST; i++) {
            logic.register(hash(i), false, now);
            assertThat(polled(now)).as("datagram %d of the burst", i).containsExactly(hash(i));
        }
        logic.register(hash(900), false, now);

        assertThat(logic.pollAnnounce(now)).as("past the burst").isEmpty();
        long allowed = now + LocalDiscoveryLogic.SEND_PERIOD.toNanos();
        assertThat(logic.nextAnnounceAt(now)).hasValue(allowed);
        assertThat(logic.pollAnnounce(allowed - 1)).isEmpty();
        assertThat(polled(allowed)).containsExactly(hash(900));
    }

    @Test
    void theSendRateAnnouncesAFullRegistryWithinOneInterval() {
        long datagrams = (long) LocalDiscoveryLogic.SEND_BURST - 1
                + LocalDiscoveryLogic.ANNOUNCE_INTERVAL.dividedBy(LocalDiscoveryLogic.SEND_PERIOD);
        assertThat(datagrams * LsdMessage.MAX_INFO_HASHES).isGreaterThanOrEqualTo(LocalDiscoveryLogic.MAX_TORRENTS);
    }

    @Test
    void handsOnThePeersOfRegisteredTorrentsAtTheSourceAddressAndAnnouncedPort() throws LsdException {
        logic.register(A, false, T0);
        logic.register(B, false, T0);

        List<LocalPeer> peers = logic.handleDatagram(ip("192.168.1.7"), announce(51413, "abc", A, hash(77), B), T0);

        InetSocketAddress peer = new InetSocketAddress(ip("192.168.1.7"), 51413);
        assertThat(peers).containsExactly(new LocalPeer(A, peer), new LocalPeer(B, peer));
    }

    @Test
    void ignoresOurOwnAnnouncesByTheirCookie() throws LsdException {
        logic.register(A, false, T0);

        assertThat(logic.handleDatagram(ip("10.0.0.2"), announce(PORT, COOKIE, A), T0)).isEmpty();
        assertThat(logic.handleDatagram(ip("10.0.0.2"), announce(PORT, null, A), T0)).hasSize(1);
        assertThat(logic.handleDatagram(ip("10.0.0.2"), announce(PORT, COOKIE + "0", A), T0)).hasSize(1);
    }

    @Test
    void refusesAMalformedDatagramWithAnLsdException() {
        logic.register(A, false, T0);
        byte[] noPort = "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\n\r\n".getBytes();

        assertThatThrownBy(() -> logic.handleDatagram(ip("10.0.0.2"), noPort, T0)).isInstanceOf(LsdException.class);
    }

    @Test
    void takesABurstFromOneSourceThenOneEachSourcePeriodWhileOthersAreStillHeard() throws LsdException {
        logic.register(A, false, T0);
        byte[] datagram = announce(7000, null, A);
        InetAddress flooder = ip("10.0.0.66");
        for (int i = 0; i < LocalDiscoveryLogic.SOURCE_BURST; i++) {
            assertThat(logic.handleDatagram(flooder, datagram, T0)).as("datagram %d", i).hasSize(1);
        }

        assertThat(logic.handleDatagram(flooder, datagram, T0)).as("past the source's burst").isEmpty();
        assertThat(logic.handleDatagram(ip("10.0.0.67"), datagram, T0)).as("another source").hasSize(1);
        long later = T0 + LocalDiscoveryLogic.SOURCE_PERIOD.toNanos();
        assertThat(logic.handleDatagram(flooder, datagram, later - 1)).isEmpty();
        assertThat(logic.handleDatagram(flooder, datagram, later)).hasSize(1);
        assertThat(logic.handleDatagram(flooder, datagram, later)).isEmpty();
    }

    @Test
    void takesABurstFromAllSourcesTogetherThenOneEachTotalPeriod() throws LsdException {
        logic.register(A, false, T0);
        byte[] datagram = announce(7000, null, A);
        for (int i = 0; i < LocalDiscoveryLogic.TOTAL_BURST; i++) {
            assertThat(logic.handleDatagram(ip("10.1." + i / 256 + "." + i % 256), datagram, T0)).hasSize(1);
        }

        assertThat(logic.handleDatagram(ip("10.2.0.1"), datagram, T0)).as("past the total burst").isEmpty();
        long later = T0 + LocalDiscoveryLogic.TOTAL_PERIOD.toNanos();
        assertThat(logic.handleDatagram(ip("10.2.0.2"), datagram, later)).hasSize(1);
        assertThat(logic.handleDatagram(ip("10.2.0.3"), datagram, later)).isEmpty();
    }

    @Test
    void aFloodingSourceDoesNotUseUpTheOthersAllowance() throws LsdException {
        logic.register(A, false, T0);
        byte[] datagram = announce(7000, null, A);
        for (int i = 0; i < 10 * LocalDiscoveryLogic.TOTAL_BURST; i++) {
            logic.handleDatagram(ip("10.0.0.66"), datagram, T0);
        }

        assertThat(logic.handleDatagram(ip("10.0.0.67"), datagram, T0)).hasSize(1);
    }

    @Test
    void registersAtMostMaxTorrentsAndMakesRoomWhenOneLeaves() {
        List<LocalDiscoveryLogic.Entry> entries = new ArrayList<>();
        for (int i = 0; i < LocalDiscoveryLogic.MAX_TORRENTS; i++) {
            entries.add(logic.register(hash(i), false, T0).orElseThrow());
        }

        assertThat(logic.register(hash(5000), false, T0)).as("past the bound").isEmpty();
        assertThat(logic.register(hash(3), false, T0)).as("one registered already").isPresent();
        logic.unregister(entries.getLast());
        assertThat(logic.register(hash(5000), false, T0)).isPresent();
        assertThat(logic.registeredCount()).isEqualTo(LocalDiscoveryLogic.MAX_TORRENTS);
    }

    @Test
    void neverAnnouncesAPrivateTorrentNorHandsOnItsPeers() throws LsdException {
        assertThat(logic.register(A, true, T0)).isEmpty();

        assertThat(logic.pollAnnounce(T0)).isEmpty();
        assertThat(logic.nextAnnounceAt(T0)).isEmpty();
        assertThat(logic.handleDatagram(ip("10.0.0.2"), announce(7000, null, A), T0)).isEmpty();
    }

    @Test
    void anUnregisteredTorrentIsNeitherAnnouncedNorGivenPeers() throws LsdException {
        LocalDiscoveryLogic.Entry entry = logic.register(A, false, T0).orElseThrow();
        logic.unregister(entry);

        assertThat(logic.pollAnnounce(T0)).isEmpty();
        assertThat(logic.handleDatagram(ip("10.0.0.2"), announce(7000, null, A), T0)).isEmpty();
    }

    @Test
    void anEarlierRegistrationNoLongerUnregistersATorrentRegisteredAgain() {
        LocalDiscoveryLogic.Entry old = logic.register(A, false, T0).orElseThrow();
        logic.register(A, false, T0);

        logic.unregister(old);

        assertThat(polled(T0)).containsExactly(A);
    }
}
