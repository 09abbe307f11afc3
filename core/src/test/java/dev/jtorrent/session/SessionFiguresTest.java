package dev.jtorrent.session;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.dht.Dht;
import dev.jtorrent.dht.DhtConfig;
import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.session.LoopbackSwarm.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session-wide figures a daemon's metrics report: DHT nodes, the disk queue, the read cache, and the payload
 * moved since the session started.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionFiguresTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private static SessionConfig quiet() {
        return SessionConfig.builder().bindAddress(LOOPBACK).port(0).lsd(false).dhtBootstrap(List.of()).build();
    }

    @Test
    void dhtNodesCountsTheRoutingTableAndIsZeroWithoutADht() throws Exception {
        Session withDht = swarm.session(quiet());
        Session without = swarm.session(SessionConfig.builder().bindAddress(LOOPBACK).port(0).lsd(false).dht(false)
                .build());
        assertThat(withDht.dhtNodes()).isZero();
        try (Dht node = Dht.start(DhtConfig.builder()
                .bind(new InetSocketAddress(InetAddress.getByName("127.0.15.1"), 0))
                .routers(List.of()).allowLocalAddresses(true).build())) {
            node.addNode(new InetSocketAddress(LOOPBACK, withDht.port())); // it pings the session, which adds it back

            FakePeer.await("the session's node to know the other", WAIT, () -> withDht.dhtNodes() == 1);
            assertThat(withDht.dhtNodes()).isEqualTo(withDht.dht().orElseThrow().routingTableSize());
        }
        assertThat(without.dhtNodes()).isZero();
    }

    @Test
    void diskJobsWaitingCountsTheJobsQueuedBehindBusyDiskThreads() throws Exception {
        Session session = swarm.session(quiet());
        ThreadPoolExecutor pool = session.diskPool();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(pool.getMaximumPoolSize());
        List<Future<?>> jobs = new ArrayList<>();
        for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
            jobs.add(pool.submit(() -> {
                busy.countDown();
                release.await();
                return null;
            }));
        }
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(session.diskJobsWaiting()).isZero();
        for (int i = 0; i < 3; i++) {
            jobs.add(pool.submit(() -> null));
        }

        assertThat(session.diskJobsWaiting()).isEqualTo(3);
        release.countDown();
        for (Future<?> job : jobs) {
            job.get(10, TimeUnit.SECONDS);
        }
        assertThat(session.diskJobsWaiting()).isZero();
    }

    @Test
    void readCacheBytesIsWhatTheTorrentsHoldOfTheSessionsReadCacheBudget() throws Exception {
        Session session = swarm.session(quiet());
        assertThat(session.readCacheBytes()).isZero();
        FairBudget.Share share = session.budgets().readCache().join(() -> { });

        assertThat(share.tryTake(100_000, System.nanoTime())).isTrue();
        assertThat(session.readCacheBytes()).isEqualTo(100_000);
        share.give(100_000);
        share.leave();
        assertThat(session.readCacheBytes()).isZero();
    }

    @Test
    void aSeedersReadCacheHoldsWhatItReadForUploadsUntilItStops() throws Exception {
        Path content = swarm.content("cached", 200_000);
        Torrent torrent = swarm.torrentOf(content, 16_384);
        Session seeding = swarm.session(quiet());
        TorrentHandle seeder = swarm.add(seeding, torrent, content.getParent());
        TorrentHandle leecher = swarm.add(swarm.session(quiet()), torrent,
                Files.createDirectories(swarm.dir().resolve("cached-leecher")));
        leecher.completion().get(30, TimeUnit.SECONDS);

        assertThat(seeding.readCacheBytes()).isPositive();
        seeder.pause();
        assertThat(seeding.readCacheBytes()).isZero();
    }

    @Test
    void payloadTotalsCountWhatMovedAndKeepWhatRemovedTorrentsMoved() throws Exception {
        Path content = swarm.content("totals", 300_000);
        Torrent torrent = swarm.torrentOf(content, 16_384);
        Session seeding = swarm.session(quiet());
        Session leeching = swarm.session(quiet());
        assertThat(leeching.payloadTotals()).isEqualTo(PayloadTotals.NONE);
        // Not through swarm.add: they are removed, and a removed torrent cannot be paused after the test.
        TorrentHandle seeder = Adds.checked(seeding, torrent, content.getParent());
        TorrentHandle leecher = Adds.checked(leeching, torrent,
                Files.createDirectories(swarm.dir().resolve("totals-leecher")));
        leecher.completion().get(30, TimeUnit.SECONDS);

        long downloaded = leecher.status().downloaded();
        assertThat(downloaded).isGreaterThanOrEqualTo(300_000);
        FakePeer.await("the seeder to count what it sent", WAIT,
                () -> seeder.status().uploaded() >= 300_000 && seeding.payloadTotals().uploaded() >= 300_000);
        // The leecher's totals are first asked after its removal, so that no earlier answer holds them up.
        leecher.pause();
        leeching.remove(leecher, false);

        assertThat(leeching.torrents()).isEmpty();
        assertThat(leeching.payloadTotals()).isEqualTo(new PayloadTotals(downloaded, 0));

        long uploaded = seeder.status().uploaded();
        seeding.remove(seeder, false); // running: its swarm is stopped by the removal, and what it sent is kept
        assertThat(seeder.lifecycle().payloadThisSession().uploaded()).isGreaterThanOrEqualTo(uploaded);
        assertThat(seeding.payloadTotals().uploaded()).isGreaterThanOrEqualTo(uploaded);
        assertThat(seeding.payloadTotals().downloaded()).isZero();
    }

    @Test
    void payloadTotalsLeaveOutWhatResumeDataKeptFromEarlierRuns() throws Exception {
        Path content = swarm.content("earlier", 100_000);
        Torrent torrent = swarm.torrentOf(content, 16_384);
        swarm.add(swarm.session(quiet()), torrent, content.getParent());
        SessionConfig kept = SessionConfig.builder().bindAddress(LOOPBACK).port(0).lsd(false).dhtBootstrap(List.of())
                .resumeDirectory(swarm.dir().resolve("resume")).build();
        Path downloads = Files.createDirectories(swarm.dir().resolve("earlier-leecher"));
        Session first = swarm.session(kept);
        swarm.add(first, torrent, downloads).completion().get(30, TimeUnit.SECONDS);
        long downloaded = first.payloadTotals().downloaded();
        assertThat(downloaded).isGreaterThanOrEqualTo(100_000);
        first.close();

        Session second = swarm.session(kept);
        TorrentHandle again = swarm.add(second, torrent, downloads);

        assertThat(again.status().downloaded()).isEqualTo(downloaded);
        assertThat(second.payloadTotals()).isEqualTo(PayloadTotals.NONE);
    }
}
