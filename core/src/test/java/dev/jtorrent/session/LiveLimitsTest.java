package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Limits changed while a session runs: the setters' checks, and that a change reaches the running torrents, on
 * loopback. (How each limit holds over time after a change is measured on a simulated clock, in {@code
 * RateBudgetTest}, {@code FairBudgetTest}, {@code DownloadLimitTest}, {@code UploadLimitTest} and {@code
 * LiveLimitsSwarmTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveLimitsTest {
    private static final int PIECE = 64 * 1024;
    private static final long SLOW = 64 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void eachSetterRefusesABadValueChangingNothingAndKeepsTheConfigAsTheStart() throws Exception {
        Session session = swarm.session(LoopbackSwarm.config().toBuilder().uploadLimit(1000).downloadLimit(2000)
                .maxConnections(10).maxHalfOpen(5).build());
        Path content = swarm.content("limits", PIECE);
        TorrentHandle handle = swarm.add(session, swarm.torrentOf(content, PIECE), content.getParent());

        assertThatThrownBy(() -> session.setDownloadLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("downloadLimit must not be negative: -1");
        assertThatThrownBy(() -> session.setUploadLimit(-2)).hasMessage("uploadLimit must not be negative: -2");
        assertThatThrownBy(() -> session.setMaxConnections(0)).hasMessage("maxConnections must be at least 1: 0");
        assertThatThrownBy(() -> session.setMaxHalfOpen(-1)).hasMessage("maxHalfOpen must be at least 1: -1");
        assertThatThrownBy(() -> handle.setDownloadLimit(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> handle.setUploadLimit(-4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(session.uploadLimit(), session.downloadLimit(), (long) session.maxConnections(),
                (long) session.maxHalfOpen(), handle.uploadLimit(), handle.downloadLimit()))
                .containsExactly(1000L, 2000L, 10L, 5L, 0L, 0L);

        session.setUploadLimit(0);
        session.setDownloadLimit(5000);
        session.setMaxConnections(3);
        session.setMaxHalfOpen(1);
        handle.setUploadLimit(7000);
        handle.setDownloadLimit(8000);
        assertThat(List.of(session.uploadLimit(), session.downloadLimit(), (long) session.maxConnections(),
                (long) session.maxHalfOpen(), handle.uploadLimit(), handle.downloadLimit()))
                .containsExactly(0L, 5000L, 3L, 1L, 7000L, 8000L);
        assertThat(session.budgets().download().bytesPerSecond()).isEqualTo(5000);
        assertThat(session.config().downloadLimit()).as("the start value").isEqualTo(2000);
        assertThat(session.config().maxConnections()).isEqualTo(10);
    }

    /**
     * A leecher held to 64 KiB/s by its own limit (half a minute for its 2 MiB) finishes within seconds once the
     * limit is lifted while it runs: the change reached its swarm and the readers of its connection.
     */
    @Test
    void aDownloadLimitLiftedOnARunningTorrentLetsItFinishAtOnce() throws Exception {
        Path content = swarm.content("held", 32 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        swarm.seed(torrent, content);
        TorrentHandle leecher = swarm.add(swarm.session(), torrent, AddOptions.builder()
                .downloadDirectory(Files.createDirectories(swarm.dir().resolve("get"))).downloadLimit(SLOW).build());
        FakePeer.await("the first piece", Duration.ofSeconds(20), () -> leecher.stats().havePieces() > 0);
        assertThat(leecher.completion()).isNotDone();

        long lifted = System.nanoTime();
        leecher.setDownloadLimit(0);
        leecher.completion().get(30, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lifted);
        // At the old limit, what was left would have taken 28 s at least.
        assertThat(seconds).as("seconds to finish once lifted").isLessThan(15);
        assertThat(leecher.downloadLimit()).isZero();
    }

    /**
     * The session's connection limit lowered below the connections open closes none of them, and admits no new
     * one until enough have closed to be under it.
     */
    @Test
    void aConnectionLimitLoweredBelowTheConnectionsOpenAdmitsNoneUntilUnderIt() throws Exception {
        Session session = swarm.session(LoopbackSwarm.config().withConnectionLimits(10, 100));
        Path content = swarm.content("wanted", 4 * PIECE);
        Torrent torrent = LoopbackSwarm.torrentOf(content, PIECE, List.of());
        TorrentHandle handle = swarm.add(session, torrent, Files.createDirectories(swarm.dir().resolve("get")));
        List<FakePeer> fakes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fakes.add(admitted(session, torrent));
        }
        FakePeer.await("four peers", Duration.ofSeconds(10), () -> handle.stats().peers() == 4);

        session.setMaxConnections(2);
        assertThat(refused(session, torrent)).as("4 of 2").isTrue();
        assertThat(fakes).noneMatch(FakePeer::isClosed);
        assertThat(handle.stats().peers()).isEqualTo(4);

        fakes.get(0).close();
        fakes.get(1).close();
        FakePeer.await("two peers", Duration.ofSeconds(10), () -> session.budgets().connections().used() == 2);
        assertThat(refused(session, torrent)).as("2 of 2").isTrue();
        fakes.get(2).close();
        FakePeer.await("one peer", Duration.ofSeconds(10), () -> session.budgets().connections().used() == 1);
        admitted(session, torrent);
        FakePeer.await("two peers again", Duration.ofSeconds(10), () -> handle.stats().peers() == 2);
        assertThat(session.budgets().connections().peak()).isEqualTo(4);
    }

    /** A peer that connects, and is answered (a bitfield of nothing: have-none) once admitted. */
    private FakePeer admitted(Session session, Torrent torrent) throws Exception {
        FakePeer fake = swarm.closeLater(FakePeer.connect(session.port(), torrent.infoHash()));
        fake.send(new Message.HaveNone());
        FakePeer.await("the peer admitted", Duration.ofSeconds(10),
                () -> fake.count(m -> m instanceof Message.HaveNone) > 0 || fake.isClosed());
        assertThat(fake.isClosed()).as("closed").isFalse();
        return fake;
    }

    /** Whether a peer that connects now is closed by the session without a word. */
    private boolean refused(Session session, Torrent torrent) throws Exception {
        FakePeer fake = swarm.closeLater(FakePeer.connect(session.port(), torrent.infoHash()));
        fake.send(new Message.HaveNone());
        FakePeer.await("the peer admitted or refused", Duration.ofSeconds(10),
                () -> fake.count(m -> m instanceof Message.HaveNone) > 0 || fake.isClosed());
        return fake.isClosed() && fake.count(m -> m instanceof Message.HaveNone) == 0;
    }
}
