package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seed limits with whole sessions on loopback: the ratio limit against a real upload, the idle limit on a clock the
 * test moves, each torrent's modes over the session's, and changes while the session runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionSeedLimitsTest {
    private static final int PIECE = 16 * 1024;
    private static final TorrentState SEEDING = new TorrentState.Seeding();
    private static final TorrentState PAUSED = new TorrentState.Paused();

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private final LinkedBlockingQueue<SessionEvent.SeedLimitReached> reached = new LinkedBlockingQueue<>();

    @Test
    void aRatioLimitOfOnePausesTheSeedOnceItHasUploadedItsSize() throws Exception {
        Session seeds = session(SessionQueueTest.config().seedRatioLimited(true).seedRatioLimit(1.0).build());
        Path content = swarm.content("ratio", 32 * PIECE);
        Torrent torrent = LoopbackSwarm.torrentOf(content, PIECE, List.of());
        TorrentHandle seed = swarm.add(seeds, torrent, content.getParent());
        assertThat(seed.status().state()).isEqualTo(SEEDING);

        TorrentHandle leecher = swarm.add(swarm.session(SessionQueueTest.config().build()), torrent,
                Files.createDirectories(swarm.dir().resolve("get")));
        leecher.addPeer(new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeds.port()));
        SessionEvent.SeedLimitReached event = next();

        assertThat(event.torrent()).isEqualTo(seed);
        assertThat(event.limit()).isEqualTo(SessionEvent.SeedLimitReached.Limit.RATIO);
        assertThat(event.value()).isEqualTo(1.0);
        TorrentStatus status = seed.status();
        assertThat(status.state()).isEqualTo(PAUSED);
        assertThat(status.uploaded()).isGreaterThanOrEqualTo(status.wantedBytes());
        assertThat(status.ratio()).isGreaterThanOrEqualTo(1.0);
        leecher.completion().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleLimitPausesASeedThatUploadedNothingForItsTime() throws Exception {
        Session session = session(SessionQueueTest.config().seedIdleLimited(true)
                .seedIdleLimit(Duration.ofMinutes(10)).build());
        AtomicLong now = new AtomicLong();
        session.queue().useClock(now::get);
        TorrentHandle seed = seed(session, "idle", SeedLimits.SESSION);
        assertThat(seed.untilIdleLimit()).contains(Duration.ofMinutes(10));

        now.addAndGet(Duration.ofMinutes(10).minusNanos(1).toNanos());
        session.queue().tick();
        assertThat(seed.status().state()).isEqualTo(SEEDING);
        assertThat(seed.untilIdleLimit()).contains(Duration.ofNanos(1));
        assertThat(seed.seedLimitReached()).isFalse();
        now.addAndGet(1);
        session.queue().tick();
        SessionEvent.SeedLimitReached event = next();
        assertThat(event.limit()).isEqualTo(SessionEvent.SeedLimitReached.Limit.IDLE);
        assertThat(event.value()).isEqualTo(600.0);
        assertThat(seed.status().state()).isEqualTo(PAUSED);
        assertThat(reached).as("told once").isEmpty();
        assertThat(seed.seedLimitReached()).isTrue();
        assertThat(seed.untilIdleLimit()).as("paused").isEmpty();

        seed.resume();
        FakePeer.await("seeding again", Duration.ofSeconds(10), () -> seed.status().state().equals(SEEDING));
        assertThat(seed.seedLimitReached()).as("it runs again").isFalse();
        assertThat(seed.untilIdleLimit()).contains(Duration.ofMinutes(10));
        session.setSeedIdleLimited(false);
        assertThat(seed.untilIdleLimit()).as("no idle limit in force").isEmpty();
    }

    @Test
    void eachTorrentsModeOverridesTheSessionsLimits() throws Exception {
        Session session = session(SessionQueueTest.config().seedIdleLimited(true)
                .seedIdleLimit(Duration.ofMinutes(10)).build());
        AtomicLong now = new AtomicLong();
        session.queue().useClock(now::get);
        TorrentHandle unlimited = seed(session, "unlimited", SeedLimits.SESSION
                .withIdle(SeedLimits.Mode.UNLIMITED, Duration.ofMinutes(1)));
        TorrentHandle own = seed(session, "own", SeedLimits.SESSION.withIdle(SeedLimits.Mode.OWN,
                Duration.ofMinutes(20)));
        TorrentHandle follower = seed(session, "follower", SeedLimits.SESSION);

        now.addAndGet(Duration.ofMinutes(10).toNanos());
        session.queue().tick();
        assertThat(next().torrent()).isEqualTo(follower);
        assertThat(List.of(unlimited.status().state(), own.status().state())).containsExactly(SEEDING, SEEDING);
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        session.queue().tick();
        assertThat(next().torrent()).isEqualTo(own);
        now.addAndGet(Duration.ofDays(1).toNanos());
        session.queue().tick();
        assertThat(unlimited.status().state()).isEqualTo(SEEDING);

        unlimited.setSeedLimits(unlimited.seedLimits().withRatio(SeedLimits.Mode.OWN, 0.0));
        SessionEvent.SeedLimitReached ratio = next();
        assertThat(List.of(ratio.torrent(), ratio.limit())).as("its own ratio, with the session's off")
                .containsExactly(unlimited, SessionEvent.SeedLimitReached.Limit.RATIO);
    }

    @Test
    void theSessionsLimitsChangedWhileItRunsTakeEffectAtOnceAndAResumePastTheRatioTurnsItOff()
            throws Exception {
        Session session = session(SessionQueueTest.config().build());
        TorrentHandle seed = seed(session, "live", SeedLimits.SESSION);
        session.setSeedRatioLimit(0.0);
        assertThat(seed.status().state()).as("the limit is off").isEqualTo(SEEDING);

        session.setSeedRatioLimited(true);
        assertThat(next().limit()).isEqualTo(SessionEvent.SeedLimitReached.Limit.RATIO);
        assertThat(seed.status().state()).isEqualTo(PAUSED);

        seed.resume();
        assertThat(seed.seedLimits().ratioMode()).isEqualTo(SeedLimits.Mode.UNLIMITED);
        FakePeer.await("seeding again", Duration.ofSeconds(10), () -> seed.status().state().equals(SEEDING));
        session.queue().tick();
        assertThat(seed.status().state()).isEqualTo(SEEDING);
        assertThat(reached).isEmpty();

        assertThat(List.of(session.seedRatioLimited(), session.seedIdleLimited())).containsExactly(true, false);
        assertThatThrownBy(() -> session.setSeedRatioLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seedRatioLimit must be a finite number, 0 or more: -1.0");
        assertThatThrownBy(() -> session.setSeedIdleLimit(Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Session session(SessionConfig config) throws Exception {
        Session session = swarm.session(config);
        session.subscribe(event -> {
            if (event instanceof SessionEvent.SeedLimitReached seedLimit) {
                reached.add(seedLimit);
            }
        });
        return session;
    }

    /** The next seed limit reached, within 10 s. */
    private SessionEvent.SeedLimitReached next() throws InterruptedException {
        SessionEvent.SeedLimitReached event = reached.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a seed limit reached").isNotNull();
        // The event follows the pause; the state is reported after it, so wait for it the same way.
        FakePeer.await("paused", Duration.ofSeconds(5), () -> event.torrent().status().state().equals(PAUSED));
        return event;
    }

    /** A torrent of its own added over its whole content, with these limits: it seeds. */
    private TorrentHandle seed(Session session, String name, SeedLimits limits) throws Exception {
        Path content = swarm.content(name, 4 * PIECE);
        return swarm.add(session, LoopbackSwarm.torrentOf(content, PIECE, List.of()), AddOptions.builder()
                .downloadDirectory(content.getParent()).seedLimits(limits).build());
    }
}
