package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Torrents kept in an embedder's {@link PieceStore} ({@link ShelfStore}, in memory), in whole sessions on loopback
 * with jtorrent seeders and leechers kept in files: downloaded into it and seeded from it, started over what it
 * holds, failing in it, paused, moved and removed. Every test also checks that the session kept the promises a store
 * is made about threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PieceStoreTest {
    private static final int PIECE = 32 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aTorrentDownloadsIntoAStoreInMemoryWritingNoFileNorResumeDataAndSeedsFromIt() throws Exception {
        Path content = swarm.content("shelved", 6 * PIECE + 123);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        TorrentHandle fileSeed = swarm.seed(torrent, content);
        Path resume = Files.createDirectories(swarm.dir().resolve("resume"));
        Path unused = Files.createDirectories(swarm.dir().resolve("unused"));
        Session session = swarm.session(LoopbackSwarm.config().toBuilder().resumeDirectory(resume).build());
        ShelfStore store = new ShelfStore();

        TorrentHandle leecher = swarm.add(session, torrent, AddOptions.builder().downloadDirectory(unused)
                .storage(store).build());
        leecher.completion().get(30, TimeUnit.SECONDS);

        assertThat(shelved(store, torrent)).isEqualTo(bytesOf(content));
        assertThat(store.written).containsExactlyInAnyOrderElementsOf(pieces(torrent));
        assertThat(store.forced).hasPositiveValue();
        assertThat(leecher.status().state()).isEqualTo(new TorrentState.Seeding());
        assertThat(leecher.files()).allMatch(FileStatus::complete);
        fileSeed.pause(); // the first seed is gone: what the next leecher gets comes from the store
        leecher.pause();
        assertThat(entries(unused)).isEmpty();
        assertThat(entries(resume)).isEmpty();

        leecher.resume();
        awaitTrue(() -> leecher.status().state() instanceof TorrentState.Seeding);
        int checkReads = store.read.size();
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle next = swarm.add(swarm.session(), torrent, downloads);
        next.completion().get(30, TimeUnit.SECONDS);

        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("shelved/file-0.bin")))
                .isEqualTo(-1L);
        assertThat(store.read.subList(checkReads, store.read.size())).containsAll(pieces(torrent));
        assertThat(store.misuse).isEmpty();
    }

    @Test
    void thePiecesAStoreHoldsAreCheckedAtTheStartAndACorruptOneIsFetchedAgain() throws Exception {
        Path content = swarm.content("held", 6 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        byte[] bytes = bytesOf(content);
        ShelfStore store = new ShelfStore();
        for (int piece : List.of(0, 2, 3, 4, 5)) {
            store.hold(torrent, bytes, piece);
        }
        store.shelf.get(3)[100] ^= 1;
        Session session = swarm.session();

        TorrentHandle handle = swarm.add(session, torrent, AddOptions.builder().storage(store).build());

        assertThat(store.read).containsExactlyInAnyOrder(0, 2, 3, 4, 5);
        assertThat(handle.status().verifiedPieces()).isEqualTo(4);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Downloading());
        swarm.seed(torrent, content);
        handle.completion().get(30, TimeUnit.SECONDS);
        assertThat(store.written).containsExactlyInAnyOrder(1, 3);
        assertThat(shelved(store, torrent)).isEqualTo(bytes);
        assertThat(store.misuse).isEmpty();
    }

    @Test
    void trustedPiecesAreTakenWithoutARead() throws Exception {
        Path content = swarm.content("trusted", 6 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        byte[] bytes = bytesOf(content);
        ShelfStore store = new ShelfStore();
        for (int piece = 0; piece < 5; piece++) {
            store.hold(torrent, bytes, piece);
        }

        TorrentHandle handle = swarm.add(swarm.session(), torrent, AddOptions.builder().storage(store)
                .trustData(true).build());

        assertThat(store.read).isEmpty();
        assertThat(handle.status().verifiedPieces()).isEqualTo(5);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Downloading());
    }

    @Test
    void aStoreWhoseWritesFailStopsItsTorrentWithTheMessageAndNoOther() throws Exception {
        Path contentA = swarm.content("refused", 4 * PIECE);
        Path contentB = swarm.content("kept", 4 * PIECE);
        Torrent a = swarm.torrentOf(contentA, PIECE);
        Torrent b = swarm.torrentOf(contentB, PIECE);
        Session session = swarm.session();
        List<SessionEvent.StorageFailed> failures = new CopyOnWriteArrayList<>();
        session.subscribe(event -> {
            if (event instanceof SessionEvent.StorageFailed failed) {
                failures.add(failed);
            }
        });
        ShelfStore refusing = new ShelfStore();
        refusing.failWrites = Optional.of("quota exceeded\n(bucket photos)");
        ShelfStore keeping = new ShelfStore();
        TorrentHandle handleA = swarm.add(session, a, AddOptions.builder().storage(refusing).build());
        TorrentHandle handleB = swarm.add(session, b, AddOptions.builder().storage(keeping).build());
        swarm.seed(a, contentA);
        swarm.seed(b, contentB);

        handleB.completion().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> handleA.completion().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .hasMessageMatching("cannot write piece \\d+ to the store: quota exceeded \\(bucket photos\\)");
        // The state comes from the swarm's statistics, published just after its completion failed.
        awaitTrue(() -> handleA.status().state() instanceof TorrentState.Failed);
        assertThat(handleA.status().state()).isInstanceOfSatisfying(TorrentState.Failed.class, failed -> {
            assertThat(failed.message()).startsWith("cannot write piece ").doesNotContain("\n");
            assertThat(failed.retrying()).isFalse();
        });
        awaitTrue(() -> failures.stream().anyMatch(f -> f.torrent() == handleA));
        assertThat(failures).allMatch(f -> f.torrent() == handleA);
        assertThat(refusing.shelf).isEmpty();
        assertThat(shelved(keeping, b)).isEqualTo(bytesOf(contentB));

        refusing.failWrites = Optional.empty();
        handleA.pause();
        handleA.resume();
        handleA.checked().get(30, TimeUnit.SECONDS);
        awaitTrue(() -> handleA.status().state() instanceof TorrentState.Seeding);
        assertThat(refusing.opened).hasValue(2);
        assertThat(shelved(refusing, a)).isEqualTo(bytesOf(contentA));
        assertThat(Stream.of(refusing, keeping).flatMap(s -> s.misuse.stream())).isEmpty();
    }

    @Test
    void aFactoryThatCannotOpenTheStoreFailsTheStartWithItsMessage() throws Exception {
        Path content = swarm.content("unopened", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        ShelfStore store = new ShelfStore();
        store.failOpen = Optional.of("no such bucket");
        Session session = swarm.session();

        assertThatThrownBy(() -> swarm.add(session, torrent, AddOptions.builder().storage(store).build()))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot open the store of unopened: no such bucket");
        TorrentHandle handle = session.find(torrent.infoHash()).orElseThrow();
        assertThat(handle.status().state())
                .isEqualTo(new TorrentState.Failed("cannot open the store of unopened: no such bucket", false));

        store.failOpen = Optional.empty();
        holdAll(store, torrent, content);
        handle.resume();
        awaitTrue(() -> handle.status().state() instanceof TorrentState.Seeding);
        assertThat(store.opened).hasValue(2);
        assertThat(store.misuse).isEmpty();
    }

    @Test
    void pausingClosesTheStoreAndResumingOpensAnotherAndChecksItsPiecesAgain() throws Exception {
        Path content = swarm.content("reopened", 3 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        ShelfStore store = new ShelfStore();
        holdAll(store, torrent, content);
        TorrentHandle handle = swarm.add(swarm.session(), torrent, AddOptions.builder().storage(store).build());
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Seeding());

        handle.pause();
        assertThat(store.closed).hasValue(1);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Paused());
        store.shelf.get(2)[0] ^= 1; // changed while paused: nothing but a check can tell

        handle.resume();
        awaitTrue(() -> handle.status().state() instanceof TorrentState.Downloading);
        assertThat(store.opened).hasValue(2);
        assertThat(store.read).containsExactlyInAnyOrder(0, 1, 2, 0, 1, 2);
        assertThat(handle.status().verifiedPieces()).isEqualTo(2);
        assertThat(store.misuse).isEmpty();
    }

    @Test
    void moveStorageIsRefusedAndTheTorrentGoesOn() throws Exception {
        Path content = swarm.content("unmoved", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        ShelfStore store = new ShelfStore();
        holdAll(store, torrent, content);
        TorrentHandle handle = swarm.add(swarm.session(), torrent, AddOptions.builder().storage(store).build());
        Path target = swarm.dir().resolve("elsewhere");

        assertThatThrownBy(() -> handle.moveStorage(target))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the torrent unmoved is kept in a store of the program's own (AddOptions.storage), not"
                        + " in files: there is nothing to move");
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Seeding());
        assertThat(target).doesNotExist();
        assertThat(store.closed).hasValue(0);
    }

    @Test
    void removingWithItsDataHasTheFactoryDeleteThePiecesAndWithoutLeavesThem() throws Exception {
        Path content = swarm.content("removed", 2 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        ShelfStore store = new ShelfStore();
        holdAll(store, torrent, content);
        Session session = swarm.session();
        AddOptions options = AddOptions.builder().storage(store).build();

        session.remove(Adds.added(session, torrent, options), false);
        assertThat(store.closed).hasValue(1);
        assertThat(store.deleted).isEmpty();
        assertThat(store.shelf).hasSize(2);

        store.failDelete = Optional.of("permission denied by the bucket's policy");
        TorrentHandle second = Adds.added(session, torrent, options);
        assertThatThrownBy(() -> session.remove(second, true)).isInstanceOf(IOException.class)
                .hasMessage("cannot delete the pieces of removed from its store: permission denied by the bucket's"
                        + " policy");
        assertThat(session.torrents()).isEmpty();

        store.failDelete = Optional.empty();
        session.remove(Adds.added(session, torrent, options), true);
        assertThat(store.deleted).containsExactly(torrent);
        assertThat(store.shelf).isEmpty();
        assertThat(store.closed).hasValue(3);
        assertThat(store.misuse).isEmpty();
    }

    @Test
    void aSkippedFileIsNotFetchedAndNothingIsParked() throws Exception {
        Path content = swarm.content("partial", 4 * PIECE, 4 * PIECE, 100);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        swarm.seed(torrent, content);
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        ShelfStore store = new ShelfStore();

        TorrentHandle handle = swarm.add(swarm.session(), torrent, AddOptions.builder().downloadDirectory(downloads)
                .filePriorities(List.of(FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL))
                .storage(store).build());
        handle.completion().get(30, TimeUnit.SECONDS);

        // file-1 is pieces 4 to 7; piece 8 is file-2's 100 bytes alone
        assertThat(store.written).containsExactlyInAnyOrder(0, 1, 2, 3, 8);
        assertThat(handle.files()).extracting(FileStatus::complete).containsExactly(true, false, true);
        assertThat(entries(downloads)).isEmpty();
        assertThat(store.misuse).isEmpty();
    }

    @Test
    void theOptionsSayWhichStoreAndRefuseNone() {
        ShelfStore store = new ShelfStore();

        assertThat(AddOptions.defaults().storage()).isEmpty();
        assertThat(AddOptions.builder().storage(store).build().storage()).contains(store);
        assertThatThrownBy(() -> AddOptions.builder().storage(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("factory");
    }

    /** Puts every piece of {@code content} in the store. */
    private static void holdAll(ShelfStore store, Torrent torrent, Path content) throws IOException {
        byte[] bytes = bytesOf(content);
        for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
            store.hold(torrent, bytes, piece);
        }
    }

    /** The torrent's bytes as the store holds them, pieces end to end. */
    private static byte[] shelved(ShelfStore store, Torrent torrent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
            byte[] bytes = store.shelf.get(piece);
            if (bytes == null) {
                throw new AssertionError("piece " + piece + " is not in the store");
            }
            out.write(bytes);
        }
        return out.toByteArray();
    }

    /** The content's files end to end, as the torrent lists them. */
    private static byte[] bytesOf(Path content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(content)) {
            for (Path file : files.sorted().toList()) {
                out.write(Files.readAllBytes(file));
            }
        }
        return out.toByteArray();
    }

    private static List<Integer> pieces(Torrent torrent) {
        return IntStream.range(0, torrent.info().pieceCount()).boxed().toList();
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.toList();
        }
    }

    /** Waits (20 s at most) until {@code condition} holds, looking every 10 ms. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the condition never held").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
