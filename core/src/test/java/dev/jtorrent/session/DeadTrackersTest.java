package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.tracker.DeadTrackers;
import dev.jtorrent.tracker.FakeHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jtorrent.session.LoopbackSwarm.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A torrent as real ones are, most of its trackers dead, met by whole sessions with the default settings: twenty
 * dead trackers of every kind ({@link DeadTrackers}) in its first four tiers and one good tracker in the last. The
 * good tracker's peers arrive at once, a download ends in about the time it takes with the good tracker alone, and
 * stopping sends {@code stopped} to the good tracker without waiting for the dead ones, within its deadline even when
 * the good tracker falls silent. (Announced to one tier after another, the first silent tracker alone held the
 * download back for 30 s, and its exit for 15 s more.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadTrackersTest {
    private static final int DEAD = 20;
    /** Far less than the 30 s that one silent tracker cost, with room for a loaded machine. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    /** A stop that waits for no tracker: its connections closed and its files flushed. */
    private static final Duration QUICK_STOP = Duration.ofSeconds(1);
    /** {@link AnnouncePolicy#DEFAULT}'s deadline for {@code stopped}, and a margin for the rest of a stop. */
    private static final Duration STOP_BOUND = AnnouncePolicy.DEFAULT.stoppedDeadline().plusSeconds(1);

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    /** The good tracker lists a listening socket, which the swarm dials as soon as it hears of it. */
    @Test
    void theGoodTrackersPeersArriveWithinSecondsBehindTwentyDeadTrackers() throws Exception {
        DeadTrackers dead = swarm.closeLater(new DeadTrackers());
        ServerSocket peer = swarm.closeLater(new ServerSocket(0, 50, LOOPBACK));
        FakeHttpServer good = swarm.closeLater(new FakeHttpServer(FakeHttpServer.announcing(List.of(
                new InetSocketAddress(LOOPBACK, peer.getLocalPort())))));
        Torrent torrent = torrent(tiersBefore(dead, good.url("/announce")));

        Session session = swarm.session();
        long start = System.nanoTime();
        swarm.add(session, torrent, download());
        awaitDial(peer);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FEW_SECONDS);
        assertThat(good.events(session.port())).containsExactly("started");
    }

    /**
     * Stopping does not wait for the dead trackers' announces, which are still under way: {@code stopped} goes to
     * the good tracker at once, and to none of the trackers that never answered.
     */
    @Test
    void stopTellsTheGoodTrackerAtOnceAndTheDeadOnesNothing() throws Exception {
        DeadTrackers dead = swarm.closeLater(new DeadTrackers());
        ServerSocket peer = swarm.closeLater(new ServerSocket(0, 50, LOOPBACK));
        FakeHttpServer good = swarm.closeLater(new FakeHttpServer(FakeHttpServer.announcing(List.of(
                new InetSocketAddress(LOOPBACK, peer.getLocalPort())))));
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent(tiersBefore(dead, good.url("/announce"))), download());
        awaitDial(peer);
        assertThat(dead.openConnections()).as("announces to silent trackers still under way").isPositive();

        Duration took = timed(handle::pause);

        assertThat(took).isLessThan(QUICK_STOP);
        assertThat(good.events(session.port())).containsExactly("started", "stopped");
        assertThat(dead.silentHttpRequests()).extracting(head -> FakeHttpServer.parameters(head).get("event"))
                .containsOnly("started");
    }

    /** A tracker that answered {@code started} and then falls silent holds a stop back for the deadline at most. */
    @Test
    void aTrackerSilentForStoppedHoldsAStopBackForTheDeadlineAtMost() throws Exception {
        DeadTrackers dead = swarm.closeLater(new DeadTrackers());
        ServerSocket peer = swarm.closeLater(new ServerSocket(0, 50, LOOPBACK));
        FakeHttpServer.Script answering = FakeHttpServer.announcing(List.of(
                new InetSocketAddress(LOOPBACK, peer.getLocalPort())));
        AtomicInteger served = new AtomicInteger();
        FakeHttpServer good = swarm.closeLater(new FakeHttpServer((head, socket) -> {
            (served.getAndIncrement() == 0 ? answering : FakeHttpServer.silent()).serve(head, socket);
        }));
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent(tiersBefore(dead, good.url("/announce"))), download());
        awaitDial(peer);

        Duration took = timed(handle::pause);

        assertThat(took).isLessThan(STOP_BOUND);
        assertThat(good.events(session.port())).as("stopped was sent, and never answered")
                .containsExactly("started", "stopped");
    }

    /**
     * The measurement in the issue: a download through the good tracker, behind the dead ones, ends and exits in
     * seconds, telling the good tracker {@code started}, {@code completed} and {@code stopped} in turn.
     */
    @Test
    void aDownloadBehindTwentyDeadTrackersEndsAndExitsInSeconds() throws Exception {
        DeadTrackers dead = swarm.closeLater(new DeadTrackers());
        Path content = swarm.content("dead", 600_000);
        Torrent seeded = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = swarm.session();
        swarm.add(seeder, seeded, content.getParent());
        FakeHttpServer good = swarm.closeLater(new FakeHttpServer(FakeHttpServer.announcing(List.of(
                new InetSocketAddress(LOOPBACK, seeder.port())))));
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, tiersBefore(dead, good.url("/announce")));
        assertThat(torrent.infoHash()).isEqualTo(seeded.infoHash());

        Session session = swarm.session();
        long start = System.nanoTime();
        TorrentHandle leecher = swarm.add(session, torrent, download());
        leecher.completion().get(FEW_SECONDS.toMillis(), TimeUnit.MILLISECONDS);
        leecher.pause();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(FEW_SECONDS);
        assertThat(good.events(session.port())).containsExactly("started", "completed", "stopped");
    }

    /**
     * Forty silent HTTP trackers, each in a tier of its own: the first {@link AnnouncePolicy#maxInFlight} are asked
     * at once, in BEP 12 order, and the rest wait for a turn, so the connections open at once never pass the bound.
     */
    @Test
    void announcesUnderWayAtOnceNeverPassTheBoundAndTheFirstTiersGoFirst() throws Exception {
        int bound = AnnouncePolicy.DEFAULT.maxInFlight();
        DeadTrackers dead = swarm.closeLater(new DeadTrackers());
        List<List<String>> tiers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tiers.add(List.of(dead.silentHttp(i)));
        }
        assertThat(tiers).hasSizeGreaterThan(bound);

        swarm.add(swarm.session(), torrent(tiers), download());
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        while (dead.openConnections() < bound && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(500);

        assertThat(dead.openConnections()).isEqualTo(bound);
        assertThat(dead.mostConnectionsOpenAtOnce()).isEqualTo(bound);
        List<String> asked = dead.silentHttpRequests().stream()
                .map(head -> head.substring(head.indexOf(' ') + 1, head.indexOf('?'))).toList();
        assertThat(asked).containsExactlyInAnyOrderElementsOf(tiers.subList(0, bound).stream()
                .map(tier -> java.net.URI.create(tier.getFirst()).getPath()).toList());
    }

    /** Twenty dead trackers in four tiers of five, then {@code good} in a tier of its own. */
    private static List<List<String>> tiersBefore(DeadTrackers dead, String good) {
        List<String> urls = dead.urls(DEAD);
        List<List<String>> tiers = new ArrayList<>();
        for (int i = 0; i < DEAD; i += 5) {
            tiers.add(urls.subList(i, i + 5));
        }
        tiers.add(List.of(good));
        return tiers;
    }

    private Torrent torrent(List<List<String>> tiers) throws Exception {
        return LoopbackSwarm.torrentOf(swarm.content("dead", 100_000), 16 * 1024, tiers);
    }

    private Path download() throws java.io.IOException {
        return Files.createDirectories(swarm.dir().resolve("download"));
    }

    private static void awaitDial(ServerSocket peer) throws java.io.IOException {
        peer.setSoTimeout(Math.toIntExact(FEW_SECONDS.toMillis()));
        try (Socket dialled = peer.accept()) {
            assertThat(dialled.getInetAddress().isLoopbackAddress()).isTrue();
        }
    }

    private static Duration timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
