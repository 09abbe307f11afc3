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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session's download queue, positions and force start, with whole sessions on loopback. Torrents without
 * trackers, LSD or DHT find no peers, so they download nothing unless given one. The queue decides synchronously
 * on each command (pause, move, force start, a setting), so most steps need no waiting; the stalled rule runs on a
 * clock the test moves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionQueueTest {
    private static final int PIECE = 16 * 1024;
    private static final TorrentState DOWNLOADING = new TorrentState.Downloading();
    private static final TorrentState QUEUED = new TorrentState.QueuedToDownload();

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    static SessionConfig.Builder config() {
        return LoopbackSwarm.config().toBuilder().lsd(false).dht(false);
    }

    @Test
    void aQueueOfTwoRunsTwoOfThreeDownloadsAndStartsTheThirdWhenOneIsPaused() throws Exception {
        Session session = swarm.session(config().downloadQueueSize(2).build());
        TorrentHandle a = download(session, "a");
        TorrentHandle b = download(session, "b");
        TorrentHandle c = download(session, "c");
        assertThat(states(a, b, c)).containsExactly(DOWNLOADING, DOWNLOADING, QUEUED);
        assertThat(c.checked()).as("its check is done").isDone();
        assertThat(c.trackerError()).as("it does not run").isNull();

        a.pause();
        assertThat(states(a, b, c)).containsExactly(new TorrentState.Paused(), DOWNLOADING, DOWNLOADING);
        assertThat(List.of(a.queuePosition(), b.queuePosition(), c.queuePosition()))
                .as("a paused torrent keeps its place").containsExactly(0, 1, 2);

        a.resume();
        FakePeer.await("a checked again", Duration.ofSeconds(10), () -> a.status().state().equals(QUEUED));
        assertThat(states(b, c)).containsExactly(DOWNLOADING, DOWNLOADING);
    }

    @Test
    void theNextDownloadStartsWhenOneCompletesAndMovesToTheSeedQueue() throws Exception {
        Path content = swarm.content("done", 8 * PIECE);
        Torrent done = LoopbackSwarm.torrentOf(content, PIECE, List.of());
        Session seeds = swarm.session(config().build());
        swarm.add(seeds, done, content.getParent());
        Session session = swarm.session(config().downloadQueueSize(2).build());
        TorrentHandle a = swarm.add(session, done, Files.createDirectories(swarm.dir().resolve("get-done")));
        TorrentHandle b = download(session, "b");
        TorrentHandle c = download(session, "c");
        assertThat(states(a, b, c)).containsExactly(DOWNLOADING, DOWNLOADING, QUEUED);

        a.addPeer(new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeds.port()));
        a.completion().get(30, TimeUnit.SECONDS);
        FakePeer.await("the third started", Duration.ofSeconds(10), () -> c.status().state().equals(DOWNLOADING));
        assertThat(states(a, b)).containsExactly(new TorrentState.Seeding(), DOWNLOADING);
    }

    @Test
    void peersGivenToAWaitingTorrentAreDialledWhenItsTurnComesAndBounded() throws Exception {
        Path content = swarm.content("later", 8 * PIECE);
        Torrent later = LoopbackSwarm.torrentOf(content, PIECE, List.of());
        Session seeds = swarm.session(config().build());
        swarm.add(seeds, later, content.getParent());
        Session session = swarm.session(config().downloadQueueSize(1).build());
        TorrentHandle a = download(session, "a");
        TorrentHandle b = swarm.add(session, later, Files.createDirectories(swarm.dir().resolve("get-later")));
        assertThat(b.status().state()).isEqualTo(QUEUED);

        b.addPeer(new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeds.port()));
        b.addPeer(new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeds.port()));
        assertThat(b.lifecycle().peersForStart()).as("once").isEqualTo(1);
        for (int i = 0; i < TorrentLifecycle.MAX_PEERS_FOR_START + 10; i++) {
            b.addPeer(new InetSocketAddress("127.0." + (i >> 8) + "." + (i & 255), 7000));
        }
        assertThat(b.lifecycle().peersForStart()).isEqualTo(TorrentLifecycle.MAX_PEERS_FOR_START);
        assertThat(b.completion()).isNotDone();

        a.pause();
        b.completion().get(30, TimeUnit.SECONDS);
        assertThat(b.lifecycle().peersForStart()).isZero();
    }

    @Test
    void movesDecideWhichWaitingTorrentStartsNextAndStopNoneRunning() throws Exception {
        Session session = swarm.session(config().downloadQueueSize(1).build());
        TorrentHandle a = download(session, "a");
        TorrentHandle b = download(session, "b");
        TorrentHandle c = download(session, "c");

        c.moveQueueToTop();
        assertThat(List.of(c.queuePosition(), a.queuePosition(), b.queuePosition())).containsExactly(0, 1, 2);
        assertThat(states(a, b, c)).as("a keeps running below c").containsExactly(DOWNLOADING, QUEUED, QUEUED);

        a.pause();
        assertThat(states(b, c)).containsExactly(QUEUED, DOWNLOADING);
    }

    @Test
    void positionsAreDenseInAddOrderMoveAndCloseUpWhenATorrentIsRemoved() throws Exception {
        Session session = swarm.session(config().build());
        AddOptions paused = AddOptions.builder().paused(true).build();
        TorrentHandle a = session.add(torrent("a"), paused);
        TorrentHandle b = session.add(torrent("b"), paused);
        TorrentHandle c = session.add(torrent("c"), paused);
        TorrentHandle d = session.add(torrent("d"), paused);
        assertThat(positions(a, b, c, d)).containsExactly(0, 1, 2, 3);

        d.moveQueueUp();
        assertThat(positions(a, b, c, d)).containsExactly(0, 1, 3, 2);
        a.moveQueueUp();
        a.moveQueueDown();
        assertThat(positions(a, b, c, d)).as("up at the top stays").containsExactly(1, 0, 3, 2);
        b.moveQueueToBottom();
        assertThat(positions(a, b, c, d)).containsExactly(0, 3, 2, 1);
        c.moveQueueDown();
        c.moveQueueDown();
        assertThat(positions(a, b, c, d)).as("down at the bottom stays").containsExactly(0, 2, 3, 1);
        c.moveQueueTo(1);
        assertThat(positions(a, b, c, d)).containsExactly(0, 3, 1, 2);
        assertThatThrownBy(() -> c.moveQueueTo(4)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("queue position 4 is not in 0..3");
        assertThatThrownBy(() -> c.moveQueueTo(-1)).isInstanceOf(IndexOutOfBoundsException.class);

        session.remove(c, false);
        assertThat(positions(a, b, d)).containsExactly(0, 2, 1);
        assertThatThrownBy(c::queuePosition).isInstanceOf(IllegalStateException.class);

        TorrentHandle e = session.add(torrent("e"), AddOptions.builder().paused(true).queuePosition(1).build());
        TorrentHandle f = session.add(torrent("f"), AddOptions.builder().paused(true).queuePosition(99).build());
        assertThat(positions(a, e, d, b, f)).as("at 1, and past the end at the end").containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> AddOptions.builder().queuePosition(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aForceStartedTorrentRunsWithoutRoomAndDoesNotCount() throws Exception {
        Session session = swarm.session(config().downloadQueueSize(1).build());
        TorrentHandle a = download(session, "a");
        TorrentHandle b = download(session, "b");
        assertThat(states(a, b)).containsExactly(DOWNLOADING, QUEUED);

        b.setForceStart(true);
        assertThat(b.forceStart()).isTrue();
        assertThat(states(a, b)).containsExactly(DOWNLOADING, DOWNLOADING);
        TorrentHandle c = download(session, "c");
        TorrentHandle forced = swarm.add(session, torrent("forced"), AddOptions.builder().forceStart(true)
                .downloadDirectory(Files.createDirectories(swarm.dir().resolve("get-forced"))).build());
        assertThat(states(c, forced)).as("b takes no room; the forced add needs none").containsExactly(QUEUED,
                DOWNLOADING);

        b.setForceStart(false);
        assertThat(states(a, b, c)).as("taken back, it keeps running").containsExactly(DOWNLOADING, DOWNLOADING,
                QUEUED);
        a.pause();
        assertThat(c.status().state()).as("b counts now, and fills the queue").isEqualTo(QUEUED);
    }

    @Test
    void queueSettingsChangedWhileTheSessionRunsTakeEffectAtOnce() throws Exception {
        Session session = swarm.session(config().downloadQueueSize(1).build());
        assertThat(List.of(session.downloadQueueEnabled(), session.seedQueueEnabled())).containsExactly(true, false);
        TorrentHandle a = download(session, "a");
        TorrentHandle b = download(session, "b");
        TorrentHandle c = download(session, "c");
        TorrentHandle d = download(session, "d");
        assertThat(states(a, b, c, d)).containsExactly(DOWNLOADING, QUEUED, QUEUED, QUEUED);

        session.setDownloadQueueSize(2);
        assertThat(states(a, b, c, d)).containsExactly(DOWNLOADING, DOWNLOADING, QUEUED, QUEUED);
        session.setDownloadQueueSize(0);
        assertThat(states(a, b, c, d)).as("lowered, it stops none").containsExactly(DOWNLOADING, DOWNLOADING,
                QUEUED, QUEUED);
        session.setDownloadQueueEnabled(false);
        assertThat(states(a, b, c, d)).containsExactly(DOWNLOADING, DOWNLOADING, DOWNLOADING, DOWNLOADING);
        assertThat(session.downloadQueueSize()).isZero();

        assertThatThrownBy(() -> session.setDownloadQueueSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("downloadQueueSize must not be negative: -1");
        assertThatThrownBy(() -> session.setSeedQueueSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.setQueueStalledAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().downloadQueueSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSeedQueueHoldsCompleteTorrentsBackAsTheDownloadQueueHoldsDownloads() throws Exception {
        Session session = swarm.session(config().seedQueueEnabled(true).seedQueueSize(1).build());
        TorrentHandle a = seed(session, "a");
        TorrentHandle b = seed(session, "b");
        assertThat(states(a, b)).containsExactly(new TorrentState.Seeding(), new TorrentState.QueuedToSeed());
        TorrentHandle c = download(session, "c");
        assertThat(c.status().state()).as("the download queue has room").isEqualTo(DOWNLOADING);

        session.setSeedQueueSize(2);
        assertThat(b.status().state()).isEqualTo(new TorrentState.Seeding());
    }

    @Test
    void aTorrentStalledForTheStalledTimeNoLongerCountsAndTheNextStarts() throws Exception {
        Session session = swarm.session(config().downloadQueueSize(1).queueStalledAfter(Duration.ofMinutes(30))
                .build());
        AtomicLong now = new AtomicLong(1_000_000_000L);
        session.queue().useClock(now::get);
        TorrentHandle a = download(session, "a");
        TorrentHandle b = download(session, "b");

        now.addAndGet(Duration.ofMinutes(30).minusNanos(1).toNanos());
        session.queue().tick();
        assertThat(states(a, b)).containsExactly(DOWNLOADING, QUEUED);
        now.addAndGet(1);
        session.queue().tick();
        assertThat(states(a, b)).as("stalled, a keeps running").containsExactly(DOWNLOADING, DOWNLOADING);

        TorrentHandle c = download(session, "c");
        assertThat(c.status().state()).as("b is not stalled yet").isEqualTo(QUEUED);
        session.setQueueStalledEnabled(false);
        assertThat(states(a, b, c)).as("off, the rule stops none").containsExactly(DOWNLOADING, DOWNLOADING, QUEUED);
        session.setQueueStalledEnabled(true);
        session.setQueueStalledAfter(Duration.ofMinutes(60));
        now.addAndGet(Duration.ofMinutes(59).toNanos());
        session.queue().tick();
        assertThat(c.status().state()).isEqualTo(QUEUED);
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        session.queue().tick();
        assertThat(c.status().state()).as("a and b stalled for 60 minutes").isEqualTo(DOWNLOADING);
    }

    @Test
    void stalledSaysWhetherARunningTorrentMovedNothingForTheStalledTime() throws Exception {
        Session session = swarm.session(config().queueStalledAfter(Duration.ofMinutes(30)).build());
        AtomicLong now = new AtomicLong(1_000_000_000L);
        session.queue().useClock(now::get);
        TorrentHandle a = download(session, "a");
        assertThat(a.stalled()).isFalse();

        now.addAndGet(Duration.ofMinutes(30).minusNanos(1).toNanos());
        assertThat(a.stalled()).isFalse();
        now.addAndGet(1);
        assertThat(a.stalled()).as("nothing moved for 30 minutes").isTrue();
        session.setQueueStalledEnabled(false);
        assertThat(a.stalled()).as("the rule off").isFalse();
        session.setQueueStalledEnabled(true);
        a.pause();
        assertThat(a.stalled()).as("paused: not running").isFalse();
        a.resume();
        FakePeer.await("running again", Duration.ofSeconds(10), () -> a.status().state().equals(DOWNLOADING));
        assertThat(a.stalled()).as("a new run counts from its start").isFalse();
    }

    private Torrent torrent(String name) throws Exception {
        return LoopbackSwarm.torrentOf(swarm.content(name, 4 * PIECE), PIECE, List.of());
    }

    /** A torrent of its own added over an empty directory: it downloads, from nobody. */
    private TorrentHandle download(Session session, String name) throws Exception {
        return swarm.add(session, torrent(name), Files.createDirectories(swarm.dir().resolve("get-" + name)));
    }

    /** A torrent of its own added over its whole content: it seeds. */
    private TorrentHandle seed(Session session, String name) throws Exception {
        Path content = swarm.content(name, 4 * PIECE);
        return swarm.add(session, LoopbackSwarm.torrentOf(content, PIECE, List.of()), content.getParent());
    }

    private static List<TorrentState> states(TorrentHandle... handles) {
        return java.util.Arrays.stream(handles).map(handle -> handle.status().state()).toList();
    }

    private static List<Integer> positions(TorrentHandle... handles) {
        return java.util.Arrays.stream(handles).map(TorrentHandle::queuePosition).toList();
    }
}
