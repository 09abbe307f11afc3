package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public API of a session and its handles, used as an embedder would. */
class SessionApiTest {
    private static final int PIECE = 32 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aSeedIsQueuedThenCheckedThenSeedsAndSaysSoToItsSubscribers() throws Exception {
        Path content = swarm.content("seeded", 5 * PIECE + 100, 3 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        Events events = new Events(session, false);

        TorrentHandle handle = session.add(torrent, AddOptions.builder().downloadDirectory(content.getParent())
                .build());
        swarm.closeLater(handle::pause);
        handle.checked().get(30, TimeUnit.SECONDS);

        events.await(e -> e instanceof SessionEvent.StateChanged changed
                && changed.to() instanceof TorrentState.Seeding);
        assertThat(events.states(handle)).containsSubsequence(new TorrentState.Queued(), new TorrentState.Seeding());
        assertThat(events.seen().getFirst()).isEqualTo(new SessionEvent.TorrentAdded(handle));
        TorrentStatus status = handle.status();
        assertThat(status.state()).isEqualTo(new TorrentState.Seeding());
        assertThat(status.progress()).isEqualTo(1.0);
        assertThat(status.wantedBytes()).isEqualTo(8 * PIECE + 100);
        assertThat(handle.files()).extracting(FileStatus::complete).containsExactly(true, true);
        assertThat(handle.completion()).isCompleted();
        assertThat(session.torrents()).containsExactly(handle);
        assertThat(session.find(torrent.infoHash())).contains(handle);
    }

    @Test
    void aLeecherReportsEveryPieceAndFileAsItCompletesThenSeeds() throws Exception {
        Path content = swarm.content("fetched", 4 * PIECE + 7, 2 * PIECE, 1000);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        swarm.seed(torrent, content);
        Session session = swarm.session();
        Events events = new Events(session, true);

        TorrentHandle leecher = swarm.add(session, torrent, Files.createDirectories(swarm.dir().resolve("down")));
        leecher.completion().get(30, TimeUnit.SECONDS);
        events.await(e -> e instanceof SessionEvent.StateChanged changed
                && changed.to() instanceof TorrentState.Seeding);

        assertThat(events.of(SessionEvent.PieceFinished.class)).extracting(SessionEvent.PieceFinished::piece)
                .containsExactlyInAnyOrderElementsOf(range(torrent.info().pieceCount()));
        assertThat(events.of(SessionEvent.FileCompleted.class)).extracting(SessionEvent.FileCompleted::fileIndex)
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(events.states(leecher)).containsSubsequence(new TorrentState.Downloading(),
                new TorrentState.Seeding());
        TorrentStatus status = leecher.status();
        assertThat(status.downloaded()).isEqualTo(torrent.info().totalLength());
        assertThat(status.eta()).contains(java.time.Duration.ZERO);
        assertThat(leecher.files()).allMatch(FileStatus::complete);
        // 6 pieces and 1007 bytes: 7 pieces, the eighth bit of the bitfield spare and clear.
        assertThat(leecher.verifiedPieces()).containsExactly((byte) 0xFE);
    }

    @Test
    void pieceEventsGoOnlyToSubscribersThatAskForThem() throws Exception {
        Path content = swarm.content("quiet", 3 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        swarm.seed(torrent, content);
        Session session = swarm.session();
        Events events = new Events(session, false);

        TorrentHandle leecher = swarm.add(session, torrent, Files.createDirectories(swarm.dir().resolve("down")));
        leecher.completion().get(30, TimeUnit.SECONDS);
        events.await(e -> e instanceof SessionEvent.FileCompleted);

        assertThat(events.of(SessionEvent.PieceFinished.class)).isEmpty();
    }

    @Test
    void aPausedTorrentStopsAndResumesFromWhatItHadWithoutCheckingAgain() throws Exception {
        Path content = swarm.content("paused", 6 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        Events events = new Events(session, false);

        handle.pause();
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Paused());
        assertThat(handle.status().peers()).isZero();
        assertThat(handle.files()).allMatch(FileStatus::complete);
        handle.pause(); // twice is nothing

        handle.resume();
        events.await(e -> e instanceof SessionEvent.StateChanged changed
                && changed.to() instanceof TorrentState.Seeding);
        assertThat(events.states(handle)).containsExactly(new TorrentState.Seeding(), new TorrentState.Paused(),
                new TorrentState.Queued(), new TorrentState.Seeding());
    }

    @Test
    void aTorrentAddedPausedNeitherChecksNorConnectsUntilResumed() throws Exception {
        Path content = swarm.content("later", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();

        TorrentHandle handle = session.add(torrent, AddOptions.builder().downloadDirectory(content.getParent())
                .paused(true).build());
        swarm.closeLater(handle::pause);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Paused());
        assertThat(handle.checked()).isNotDone();
        assertThat(handle.verifiedPieces()).containsExactly((byte) 0);

        handle.resume();
        handle.checked().get(30, TimeUnit.SECONDS);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Seeding());
    }

    @Test
    void removingWithItsDataDeletesTheTorrentsFilesAndNothingElse() throws Exception {
        Path content = swarm.content("removed", PIECE, 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path mine = Files.writeString(content.resolve("notes.txt"), "not the torrent's");
        Files.writeString(content.getParent().resolve("beside.txt"), "not the torrent's either");
        Session session = swarm.session();
        TorrentHandle handle = Adds.checked(session, torrent, content.getParent());
        Events events = new Events(session, false);

        session.remove(handle, true);

        assertThat(content.resolve("file-0.bin")).doesNotExist();
        assertThat(content.resolve("file-1.bin")).doesNotExist();
        assertThat(mine).hasContent("not the torrent's");
        assertThat(content.getParent().resolve("beside.txt")).exists();
        assertThat(session.torrents()).isEmpty();
        assertThat(session.find(torrent.infoHash())).isEmpty();
        events.await(e -> e instanceof SessionEvent.TorrentRemoved);
        assertThat(events.of(SessionEvent.TorrentRemoved.class))
                .containsExactly(new SessionEvent.TorrentRemoved(torrent.infoHash(), torrent.name()));
    }

    @Test
    void aTorrentRemovedWithoutItsDataLeavesTheFilesAndCanBeAddedAgain() throws Exception {
        Path content = swarm.content("kept", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle first = Adds.checked(session, torrent, content.getParent());

        session.remove(first, false);

        assertThat(content.resolve("file-0.bin")).exists();
        TorrentHandle again = swarm.add(session, torrent, content.getParent());
        assertThat(again.status().state()).isEqualTo(new TorrentState.Seeding());
    }

    @Test
    void misuseIsRefusedWithAClearExceptionAndChangesNothing() throws Exception {
        Path content = swarm.content("misused", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle handle = Adds.checked(session, torrent, content.getParent());
        AddOptions here = AddOptions.builder().downloadDirectory(content.getParent()).build();

        assertThatThrownBy(() -> session.add(torrent, here)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is already in the session");
        assertThatThrownBy(() -> session.add((Torrent) null, here)).isInstanceOf(NullPointerException.class)
                .hasMessage("torrent");
        assertThatThrownBy(() -> session.add(torrent, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("options");
        assertThatThrownBy(() -> handle.setFilePriority(1, FilePriority.HIGH))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("file index 1 is not in 0..0");
        assertThatThrownBy(() -> handle.setFilePriority(0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> handle.setUploadLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handle.addPeer(InetSocketAddress.createUnresolved("peer.example", 6881)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddOptions.builder().downloadLimit(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().port(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().maxPeersPerTorrent(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(session.torrents()).containsExactly(handle);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Seeding());

        Session other = swarm.session();
        assertThatThrownBy(() -> other.remove(handle, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not in this session");
        session.remove(handle, false);
        assertThatThrownBy(() -> session.remove(handle, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was already removed");
        assertThatThrownBy(handle::status).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was removed");
        assertThatThrownBy(handle::pause).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(handle::resume).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(handle::files).isInstanceOf(IllegalStateException.class);
        assertThat(handle.infoHash()).isEqualTo(torrent.infoHash()); // what it was stays readable
        assertThat(handle.completion()).isCompleted(); // it was complete; an incomplete one fails

        session.close();
        assertThatThrownBy(() -> session.add(torrent, here)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the session is closed");
    }

    @Test
    void aMagnetLinkOrAnInfoHashWaitsForMetadataAsANormalState() throws Exception {
        Session session = swarm.session();
        MagnetLink magnet = MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=Some%20Album");
        InfoHash bare = InfoHash.fromHex("cd".repeat(20));

        TorrentHandle fromMagnet = session.add(magnet, AddOptions.defaults());
        TorrentHandle fromHash = session.add(bare, AddOptions.defaults());

        assertThat(fromMagnet.name()).isEqualTo("Some Album");
        assertThat(fromHash.name()).isEqualTo("cd".repeat(20));
        assertThat(fromMagnet.status().state()).isEqualTo(new TorrentState.WaitingForMetadata());
        assertThat(fromMagnet.status().progress()).isZero();
        assertThat(fromMagnet.torrent()).isEmpty();
        assertThat(fromMagnet.files()).isEmpty();
        assertThatThrownBy(() -> fromMagnet.setFilePriority(0, FilePriority.SKIP))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no metadata yet");
        assertThat(session.torrents()).containsExactly(fromMagnet, fromHash);
        assertThatThrownBy(() -> session.add(bare, AddOptions.defaults())).isInstanceOf(IllegalStateException.class);
        session.remove(fromMagnet, true);
        assertThat(session.torrents()).containsExactly(fromHash);
    }

    @Test
    void aSubscriberThatFallsBehindLosesTheNewestEventsAndIsToldHowMany() throws Exception {
        Session session = swarm.session();
        CountDownLatch release = new CountDownLatch(1);
        List<SessionEvent> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch first = new CountDownLatch(1);
        session.subscribe(event -> {
            received.add(event);
            first.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int extra = 100;
        addMagnets(session, 0, 1);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue(); // the listener holds the first, the queue is empty
        long started = System.nanoTime();
        addMagnets(session, 1, Session.EVENT_QUEUE_LIMIT + extra);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("adds never wait for it")
                .isLessThan(10);

        release.countDown();
        awaitSize(received, 1 + Session.EVENT_QUEUE_LIMIT);
        addMagnets(session, 1 + Session.EVENT_QUEUE_LIMIT + extra, 1);
        awaitSize(received, 1 + Session.EVENT_QUEUE_LIMIT + 2);

        assertThat(received).hasSize(1 + Session.EVENT_QUEUE_LIMIT + 2);
        assertThat(received.get(Session.EVENT_QUEUE_LIMIT + 1)).isEqualTo(new SessionEvent.EventsLost(extra));
        assertThat(received.getLast()).isInstanceOf(SessionEvent.TorrentAdded.class);
    }

    @Test
    void theTrackersOfATorrentShowTheirTierAndLastAnswer() throws Exception {
        Path content = swarm.content("tracked", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handle.trackers().getFirst().seeders().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        TrackerStatus tracker = handle.trackers().getFirst();
        assertThat(handle.trackers()).hasSize(1);
        assertThat(tracker.url()).isEqualTo(swarm.tracker().httpAnnounceUrl());
        assertThat(tracker.tier()).isZero();
        assertThat(tracker.error()).isEmpty();
        assertThat(tracker.seeders()).hasValue(1);
        assertThat(tracker.nextAnnounce()).isPresent();
        handle.pause();
        assertThat(handle.trackers().getFirst().nextAnnounce()).isEmpty();
    }

    @Test
    void aRecheckFindsDataChangedBehindItsBackAndTheTorrentGoesOnFromThere() throws Exception {
        Path content = swarm.content("changed", 4 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        byte[] bytes = Files.readAllBytes(content.resolve("file-0.bin"));
        bytes[PIECE + 5] ^= 1; // the second piece; same size, so resume data would not notice
        Files.write(content.resolve("file-0.bin"), bytes);

        handle.recheck().get(30, TimeUnit.SECONDS);

        TorrentStatus status = handle.status();
        assertThat(status.verifiedBytes()).isEqualTo(3 * PIECE);
        assertThat(status.state()).isEqualTo(new TorrentState.Downloading());
    }

    @Test
    void aPausedTorrentRecheckedStaysPaused() throws Exception {
        Path content = swarm.content("resting", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        handle.pause();
        Files.delete(content.resolve("file-0.bin"));

        handle.recheck().get(30, TimeUnit.SECONDS);

        assertThat(handle.status().state()).isEqualTo(new TorrentState.Paused());
        assertThat(handle.status().verifiedBytes()).isZero();
    }

    @Test
    void movingTheStorageMovesEveryFileAndTheTorrentGoesOnFromTheNewPlace() throws Exception {
        Path content = swarm.content("moved", 3 * PIECE, PIECE + 9);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path resume = swarm.dir().resolve("resume");
        Session session = swarm.session(LoopbackSwarm.config().toBuilder().resumeDirectory(resume).build());
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        byte[] first = Files.readAllBytes(content.resolve("file-0.bin"));
        Path target = swarm.dir().resolve("elsewhere");

        handle.moveStorage(target).get(30, TimeUnit.SECONDS);

        assertThat(handle.directory()).isEqualTo(target);
        assertThat(content.resolve("file-0.bin")).doesNotExist();
        assertThat(target.resolve("moved").resolve("file-0.bin")).hasBinaryContent(first);
        assertThat(target.resolve("moved").resolve("file-1.bin")).exists();
        assertThat(resume.resolve(torrent.infoHash().hex() + ".move")).as("the journal, once done").doesNotExist();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(handle.status().state() instanceof TorrentState.Seeding) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Seeding());
    }

    @Test
    void aMoveNeverOverwritesAFileAlreadyThere() throws Exception {
        Path content = swarm.content("blocked", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        Path target = swarm.dir().resolve("occupied");
        Path there = Files.createDirectories(target.resolve("blocked")).resolve("file-0.bin");
        Files.writeString(there, "someone else's");

        assertThatThrownBy(() -> handle.moveStorage(target).get(30, TimeUnit.SECONDS))
                .hasMessageContaining("a file is there already");

        assertThat(there).hasContent("someone else's");
        assertThat(content.resolve("file-0.bin")).exists();
        assertThat(handle.directory()).isEqualTo(content.getParent());
    }

    @Test
    void aMoveThatACrashCutShortIsFinishedByTheNextAdd() throws Exception {
        Path content = swarm.content("interrupted", 2 * PIECE, PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path resume = Files.createDirectories(swarm.dir().resolve("resume"));
        Path target = swarm.dir().resolve("new-home");
        // The state a crash leaves after the journal and the first file: file-0 moved, file-1 not yet.
        Files.writeString(resume.resolve(torrent.infoHash().hex() + ".move"),
                content.getParent().toRealPath() + "\n" + target.toAbsolutePath() + "\n");
        Files.createDirectories(target.resolve("interrupted"));
        Files.move(content.resolve("file-0.bin"), target.resolve("interrupted").resolve("file-0.bin"));

        Session session = swarm.session(LoopbackSwarm.config().toBuilder().resumeDirectory(resume).build());
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());

        assertThat(handle.directory()).isEqualTo(target.toAbsolutePath());
        assertThat(target.resolve("interrupted").resolve("file-1.bin")).exists();
        assertThat(content.resolve("file-1.bin")).doesNotExist();
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Seeding());
    }

    @Test
    void thePeersOfATorrentShowWhoTheyAreAndTheirState() throws Exception {
        Path content = swarm.content("watched", 4 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session();
        TorrentHandle seed = swarm.add(session, torrent, content.getParent());

        FakePeer peer = swarm.closeLater(FakePeer.connect(session.port(), torrent.infoHash()));
        peer.send(new dev.jtorrent.wire.Message.Interested());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((seed.peers().isEmpty() || !seed.peers().getFirst().flags().contains(PeerStatus.Flag.INTERESTED_IN_US))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(seed.peers()).singleElement().satisfies(status -> {
            assertThat(status.address().getAddress()).isEqualTo(peer.address());
            assertThat(status.client()).isEqualTo("-FK0000-");
            assertThat(status.flags()).contains(PeerStatus.Flag.INTERESTED_IN_US)
                    .doesNotContain(PeerStatus.Flag.OUTGOING, PeerStatus.Flag.INTERESTED_IN);
            assertThat(status.progress()).isZero();
        });
        seed.pause();
        assertThat(seed.peers()).isEmpty();
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void addMagnets(Session session, int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            session.add(InfoHash.fromHex(String.format("%040x", i + 1)), AddOptions.defaults());
        }
    }

    private static List<Integer> range(int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    /** Every event a subscriber got, in order. */
    private static final class Events {
        private final LinkedBlockingQueue<SessionEvent> incoming = new LinkedBlockingQueue<>();
        private final List<SessionEvent> seen = new ArrayList<>();

        Events(Session session, boolean pieces) {
            session.subscribe(new SessionListener() {
                @Override
                public void onEvent(SessionEvent event) {
                    incoming.add(event);
                }

                @Override
                public boolean wantsPieceEvents() {
                    return pieces;
                }
            });
        }

        /** Waits (10 s at most) for an event that {@code test} accepts. */
        void await(Predicate<SessionEvent> test) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (SessionEvent event : seen) {
                if (test.test(event)) {
                    return;
                }
            }
            while (true) {
                SessionEvent event = incoming.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(event).as("an awaited event; got %s", seen).isNotNull();
                seen.add(event);
                if (test.test(event)) {
                    return;
                }
            }
        }

        List<SessionEvent> seen() {
            incoming.drainTo(seen);
            return seen;
        }

        <T extends SessionEvent> List<T> of(Class<T> type) {
            return seen().stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** The states {@code handle} went to, in order, starting from where the first change left. */
        List<TorrentState> states(TorrentHandle handle) {
            List<TorrentState> states = new ArrayList<>();
            for (SessionEvent event : seen()) {
                if (event instanceof SessionEvent.StateChanged changed && changed.torrent() == handle) {
                    if (states.isEmpty()) {
                        states.add(changed.from());
                    }
                    states.add(changed.to());
                }
            }
            return states;
        }
    }
}
