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

/**
 * The session's budgets hold for all its torrents together, each crossed here: connections, memory for pieces in
 * flight, and the upload and download rates. (Connection attempts are crossed in {@code SessionBudgetsSwarmTest},
 * without sockets; the budgets' rules at given instants in {@code FairBudgetTest} and {@code RateBudgetTest}.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SessionBudgetsTest {
    private static final int PIECE = 64 * 1024;
    private static final int BLOCK = 16 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void threeTorrentsWithTwentyPeersEachNeverHoldMoreThanTheSessionsTenConnections() throws Exception {
        Session session = swarm.session(LoopbackSwarm.config().withConnectionLimits(10, 100));
        List<Torrent> torrents = new ArrayList<>();
        List<TorrentHandle> handles = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Path content = swarm.content(name, 4 * PIECE);
            Torrent torrent = LoopbackSwarm.torrentOf(content, PIECE, List.of());
            handles.add(swarm.add(session, torrent, Files.createDirectories(swarm.dir().resolve("get-" + name))));
            torrents.add(torrent);
        }

        List<FakePeer> fakes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (Torrent torrent : torrents) {
                FakePeer fake = swarm.closeLater(FakePeer.connect(session.port(), torrent.infoHash()));
                fakes.add(fake);
                fake.send(new Message.HaveNone());
                assertThat(session.budgets().connections().used()).isLessThanOrEqualTo(10);
            }
        }
        // Each refused peer is closed by the session; each admitted one is answered (a bitfield of nothing: have-none).
        FakePeer.await("every peer admitted or refused", Duration.ofSeconds(20),
                () -> fakes.stream().allMatch(f -> f.isClosed() || f.count(m -> m instanceof Message.HaveNone) > 0));

        long open = fakes.stream().filter(f -> !f.isClosed()).count();
        assertThat(open).isEqualTo(10);
        assertThat(fakes.stream().filter(FakePeer::isClosed).map(f -> f.closed().join()))
                .allMatch(reason -> reason.contains("closed by the other side") || reason.contains("reset"));
        FakePeer.await("the swarms to count their peers", Duration.ofSeconds(10),
                () -> handles.stream().mapToInt(h -> h.stats().peers()).sum() == 10);
        assertThat(session.budgets().connections().peak()).isEqualTo(10);
    }

    /**
     * A torrent that holds all the session's connections gives them up, one a second, down to its fair part when
     * another torrent of the session needs some: the other gets its share and completes.
     */
    @Test
    void aTorrentHoldingEveryConnectionMakesRoomForAnotherThatNeedsSome() throws Exception {
        Session leecher = swarm.session(LoopbackSwarm.config().withConnectionLimits(4, 100));
        Path idleContent = swarm.content("idle", 4 * PIECE);
        Torrent idle = LoopbackSwarm.torrentOf(idleContent, PIECE, List.of());
        TorrentHandle idleHandle = swarm.add(leecher, idle, Files.createDirectories(swarm.dir().resolve("get-idle")));
        List<FakePeer> fakes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakePeer fake = swarm.closeLater(FakePeer.connect(leecher.port(), idle.infoHash()));
            fake.send(new Message.HaveNone());
            fakes.add(fake);
        }
        FakePeer.await("four peers of the first torrent", Duration.ofSeconds(10),
                () -> idleHandle.stats().peers() == 4);

        Path content = swarm.content("wanted", 32 * PIECE);
        Torrent wanted = swarm.torrentOf(content, PIECE);
        swarm.seed(wanted, content);
        swarm.seed(wanted, content);
        TorrentHandle handle = swarm.add(leecher, wanted, Files.createDirectories(swarm.dir().resolve("get-wanted")));

        handle.completion().get(30, TimeUnit.SECONDS);
        // One dropped for each connection the second torrent took, never below the first's fair part (4 / 2).
        assertThat(fakes.stream().filter(FakePeer::isClosed).count()).isBetween(1L, 2L);
        assertThat(leecher.budgets().connections().peak()).isEqualTo(4);
    }

    @Test
    void twoTorrentsSharingLessMemoryThanTheirPiecesInFlightBothCompleteWithinIt() throws Exception {
        long budget = 3L * PIECE; // each torrent alone would keep up to 64 MiB of pieces in flight
        Session leecher = swarm.session(LoopbackSwarm.config()
                .withMemoryLimits(budget, SessionConfig.DEFAULT_READ_CACHE_BYTES));
        List<TorrentHandle> handles = new ArrayList<>();
        List<Path> contents = new ArrayList<>();
        for (String name : List.of("x", "y")) {
            Path content = swarm.content(name, 48 * PIECE);
            Torrent torrent = swarm.torrentOf(content, PIECE);
            swarm.seed(torrent, content);
            handles.add(swarm.add(leecher, torrent, Files.createDirectories(swarm.dir().resolve("get-" + name))));
            contents.add(content);
        }

        for (TorrentHandle handle : handles) {
            handle.completion().get(60, TimeUnit.SECONDS);
        }
        assertThat(leecher.budgets().inFlight().peak()).isGreaterThan(0).isLessThanOrEqualTo(budget);
        for (int i = 0; i < 2; i++) {
            Path name = contents.get(i).getFileName();
            assertThat(Files.mismatch(contents.get(i).resolve("file-0.bin"),
                    swarm.dir().resolve("get-" + name).resolve(name).resolve("file-0.bin"))).isEqualTo(-1L);
        }
    }

    /**
     * Two torrents of one session share its upload limit a block each in turn: a peer of the second torrent that
     * asks for 8 blocks gets them while a peer of the first, which asked for 256 before it, still waits for most of
     * its own. And the two together get no more than the limit allows.
     */
    @Test
    void torrentsShareTheSessionsUploadLimitInTurnAndNeverExceedIt() throws Exception {
        long limit = 512 * 1024; // 32 blocks a second
        Session seeder = swarm.session(LoopbackSwarm.config().withRateLimits(limit, 0));
        Path first = swarm.content("first", 64 * PIECE);
        Path second = swarm.content("second", 64 * PIECE);
        Torrent busy = swarm.torrentOf(first, PIECE);
        Torrent quiet = swarm.torrentOf(second, PIECE);
        swarm.add(seeder, busy, first.getParent());
        swarm.add(seeder, quiet, second.getParent());

        FakePeer greedy = unchokedPeer(seeder, busy);
        long start = System.nanoTime();
        for (int piece = 0; piece < 64; piece++) {
            for (int begin = 0; begin < PIECE; begin += BLOCK) {
                greedy.send(new Message.Request(piece, begin, BLOCK));
            }
        }
        FakePeer.await("the first torrent's first block", Duration.ofSeconds(10),
                () -> greedy.count(m -> m instanceof Message.Piece) > 0);
        FakePeer modest = unchokedPeer(seeder, quiet);
        for (int begin = 0; begin < 2 * PIECE; begin += BLOCK) {
            modest.send(new Message.Request(begin / PIECE + 10, begin % PIECE, BLOCK));
        }
        FakePeer.await("the second torrent's 8 blocks", Duration.ofSeconds(30),
                () -> modest.count(m -> m instanceof Message.Piece) == 8);
        long elapsed = System.nanoTime() - start;

        long greedyBlocks = greedy.count(m -> m instanceof Message.Piece);
        assertThat(greedyBlocks).as("blocks of the first torrent when the second had its 8").isLessThan(128);
        // At 32 blocks a second after a burst of a tenth of a second's worth, plus the block in flight at each end.
        long allowed = elapsed * 32 / TimeUnit.SECONDS.toNanos(1) + 4 + 2;
        assertThat(greedyBlocks + 8).as("blocks sent in %d ms", elapsed / 1_000_000).isLessThanOrEqualTo(allowed);
    }

    @Test
    void torrentsDownloadNoFasterTogetherThanTheSessionsDownloadLimit() throws Exception {
        long limit = 1024 * 1024;
        Session leecher = swarm.session(LoopbackSwarm.config().withRateLimits(0, limit));
        List<TorrentHandle> handles = new ArrayList<>();
        for (String name : List.of("p", "q")) {
            Path content = swarm.content(name, 16 * PIECE); // 1 MiB each
            Torrent torrent = swarm.torrentOf(content, PIECE);
            swarm.seed(torrent, content);
            handles.add(swarm.add(leecher, torrent, Files.createDirectories(swarm.dir().resolve("get-" + name))));
        }
        long start = System.nanoTime();
        for (TorrentHandle handle : handles) {
            handle.completion().get(30, TimeUnit.SECONDS);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // 2 MiB at 1 MiB/s (128 blocks at 64 a second), less the burst (a tenth of a second) and the last block of
        // each connection, read before its reader waits: 2 s - 0.1 s - 8 connections at most * 1/64 s.
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(1_775);
    }

    private FakePeer unchokedPeer(Session seeder, Torrent torrent) throws Exception {
        FakePeer peer = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));
        peer.send(new Message.Interested());
        FakePeer.await("an unchoke", Duration.ofSeconds(10), () -> peer.count(m -> m instanceof Message.Unchoke) > 0);
        return peer;
    }
}
