package dev.jtorrent.storage;

import dev.jtorrent.Prerequisite;
import dev.jtorrent.metainfo.FileEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;

class FileStorageTest {
    private static final SampleTorrent SAMPLE = SampleTorrent.of(16,
            "a.bin=40", "empty=0", "dir/b.bin=7", "pad=9", "dir/sub/c.bin=33", "d.bin=1", "last-empty=0");

    @TempDir
    Path root;

    @Test
    void writesEveryPieceSoTheFilesMatchByteForByte() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            writeAll(storage, SAMPLE);
        }
        assertThat(root.resolve("t/a.bin")).hasBinaryContent(SAMPLE.fileContent(0));
        assertThat(root.resolve("t/dir/b.bin")).hasBinaryContent(SAMPLE.fileContent(2));
        assertThat(root.resolve("t/dir/sub/c.bin")).hasBinaryContent(SAMPLE.fileContent(4));
        assertThat(root.resolve("t/d.bin")).hasBinaryContent(SAMPLE.fileContent(5));
    }

    @Test
    void writesAlignedPiecesInDirectMemoryWithDirectIoWhereTheFileSystemTakesIt() throws IOException {
        // 64 KiB pieces: a.bin's pieces are aligned, its short last piece and b.bin's unaligned spans are not
        SampleTorrent torrent = SampleTorrent.of(64 * 1024, "a.bin=200000", "b.bin=70001");
        java.util.concurrent.atomic.AtomicLong directBytes = new java.util.concurrent.atomic.AtomicLong();
        ChannelOpener counting = wrappingDirectChannels(real -> new WrappedChannel(real, new FaultyDisk()) {
            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                int written = super.write(src, position);
                directBytes.addAndGet(written);
                return written;
            }
        });
        try (FileStorage storage = new FileStorage(root, torrent.map(), 8, counting)) {
            writeAllFromAlignedDirectMemory(storage, torrent);
            storage.force();
            boolean direct = fileSystemTakesDirectIo(root);
            assertThat(storage.writesDirectly()).isEqualTo(direct);
            // a.bin's three whole pieces; its short last piece and every span of b.bin are not aligned
            assertThat(directBytes.get()).isEqualTo(direct ? 3 * 64 * 1024 : 0);
            for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
                ByteBuffer back = ByteBuffer.allocate(torrent.info().pieceSize(piece));
                storage.read(piece, 0, back);
                assertThat(back.array()).as("piece %d", piece)
                        .isEqualTo(torrent.range(piece * 64L * 1024, back.capacity()));
            }
        }
        assertThat(root.resolve("t/a.bin")).hasBinaryContent(torrent.fileContent(0));
        assertThat(root.resolve("t/b.bin")).hasBinaryContent(torrent.fileContent(1));
    }

    @Test
    void aFileSystemThatRefusesDirectIoGetsEveryWriteThroughThePageCache() throws IOException {
        SampleTorrent torrent = SampleTorrent.of(64 * 1024, "a.bin=300000");
        ChannelOpener refusing = (path, options) -> {
            if (options.contains(ExtendedOpenOption.DIRECT)) {
                throw new IOException("Invalid argument");
            }
            return FileChannel.open(path, options);
        };
        try (FileStorage storage = new FileStorage(root, torrent.map(), 8, refusing)) {
            writeAllFromAlignedDirectMemory(storage, torrent);
            assertThat(storage.writesDirectly()).isFalse();
        }
        assertThat(root.resolve("t/a.bin")).hasBinaryContent(torrent.fileContent(0));
    }

    @Test
    void aDirectWriteThatFailsIsWrittenAgainThroughThePageCache() throws IOException {
        SampleTorrent torrent = SampleTorrent.of(64 * 1024, "a.bin=300000");
        ChannelOpener failingWrites = wrappingDirectChannels(real -> new WrappedChannel(real, new FaultyDisk()) {
            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                src.position(src.position() + 4096); // a partial write, then the refusal
                throw new IOException("Invalid argument");
            }
        });
        try (FileStorage storage = new FileStorage(root, torrent.map(), 8, failingWrites)) {
            writeAllFromAlignedDirectMemory(storage, torrent);
            assertThat(storage.writesDirectly()).isFalse();
        }
        assertThat(root.resolve("t/a.bin")).hasBinaryContent(torrent.fileContent(0));
    }

    /** Opens real channels, and hands those opened for direct I/O to {@code wrap}. */
    private static ChannelOpener wrappingDirectChannels(java.util.function.UnaryOperator<FileChannel> wrap) {
        return (path, options) -> {
            FileChannel real = FileChannel.open(path, options);
            return options.contains(ExtendedOpenOption.DIRECT) ? wrap.apply(real) : real;
        };
    }

    private static void writeAllFromAlignedDirectMemory(FileStorage storage, SampleTorrent torrent)
            throws IOException {
        for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
            ByteBuffer heap = torrent.piece(piece);
            ByteBuffer direct = FileStorage.allocateAligned(heap.remaining());
            direct.put(heap).flip();
            storage.writePiece(piece, direct);
        }
    }

    /** Whether the file system under {@code directory} opens files for direct I/O (tmpfs, for one, may not). */
    private static boolean fileSystemTakesDirectIo(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, "direct", ".probe");
        Set<OpenOption> options = Set.of(StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        try (FileChannel ignored = FileChannel.open(probe, options)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void aTebibytePadFileWithAHostilePathIsNeitherWrittenNorAllocated() throws IOException {
        int pieceLength = 16 * 1024 * 1024;
        long pad = 1L << 40;
        List<FileEntry> files = List.of(
                FileEntry.of(List.of("t", "a.bin"), 100, 0),
                new FileEntry(List.of("t", "..", "..", "evil"), pad, 100, true, false, false, Optional.empty()),
                FileEntry.of(List.of("t", "b.bin"), 50, 100 + pad));
        long total = 150 + pad;
        int pieces = (int) ((total + pieceLength - 1) / pieceLength);
        PieceMap map = new PieceMap(files, pieceLength, pieces);
        // Two levels down in the test's own directory, so that wherever "t/../../evil" could lead is ours to look at
        // (walking the shared temporary directory would race with other tests creating and deleting theirs).
        Path downloads = Files.createDirectories(root.resolve("one").resolve("two"));
        try (FileStorage storage = FileStorage.open(downloads, map, FileStorage.DEFAULT_MAX_OPEN_FILES)) {
            storage.writePiece(0, ByteBuffer.allocate(pieceLength));
            storage.writePiece(pieces - 1, ByteBuffer.allocate(map.pieceSize(pieces - 1)));
            storage.createEmptyFiles();
        }

        try (var all = Files.walk(root)) {
            assertThat(all.filter(path -> path.getFileName().toString().equals("evil"))).isEmpty();
        }
        assertThat(Files.size(downloads.resolve("t/a.bin"))).isEqualTo(100);
        assertThat(Files.size(downloads.resolve("t/b.bin"))).isEqualTo(50);
        try (var inT = Files.list(downloads.resolve("t"))) {
            assertThat(inT.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("a.bin", "b.bin");
        }
    }

    @Test
    void neverCreatesPadFiles() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            writeAll(storage, SAMPLE);
            storage.createEmptyFiles();
        }
        assertThat(root.resolve("t/.pad")).doesNotExist();
    }

    @Test
    void createsEmptyFilesOnlyWhenAsked() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            writeAll(storage, SAMPLE);
            assertThat(root.resolve("t/empty")).doesNotExist();
            storage.createEmptyFiles();
            storage.force();
        }
        assertThat(root.resolve("t/empty")).isEmptyFile();
        assertThat(root.resolve("t/last-empty")).isEmptyFile();
    }

    @Test
    void makesFilesWithTheExecutableAttributeExecutable() throws IOException {
        List<FileEntry> files = List.of(
                new FileEntry(List.of("t", "run.sh"), 4, 0, false, true, false, java.util.Optional.empty()),
                new FileEntry(List.of("t", "tool"), 0, 4, false, true, false, java.util.Optional.empty()),
                FileEntry.of(List.of("t", "data"), 4, 4));
        try (FileStorage storage = FileStorage.open(root, new PieceMap(files, 8, 1), 4)) {
            storage.writePiece(0, ByteBuffer.allocate(8));
            storage.createEmptyFiles();
        }
        Prerequisite.require(root.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "the file system of the temporary directory has no POSIX permissions");
        assertThat(Files.isExecutable(root.resolve("t/run.sh"))).isTrue();
        assertThat(Files.isExecutable(root.resolve("t/tool"))).isTrue();
        assertThat(Files.isExecutable(root.resolve("t/data"))).isFalse();
    }

    @Test
    void readsBackBlocksThatSpanFilesAndPadding() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            writeAll(storage, SAMPLE);
            for (int piece = 0; piece < SAMPLE.info().pieceCount(); piece++) {
                for (int begin = 0; begin < SAMPLE.info().pieceSize(piece); begin += 5) {
                    int length = Math.min(6, SAMPLE.info().pieceSize(piece) - begin);
                    ByteBuffer block = ByteBuffer.allocate(length);
                    storage.read(piece, begin, block);
                    assertThat(block.hasRemaining()).isFalse();
                    assertThat(block.array()).isEqualTo(SAMPLE.range(piece * 16L + begin, length));
                }
            }
        }
    }

    @Test
    void writesOnlyTheBytesOfPiecesWrittenSoFilesStaySparse() throws IOException {
        SampleTorrent big = SampleTorrent.of(16, "big.bin=64");
        try (FileStorage storage = FileStorage.open(root, big.info())) {
            storage.writePiece(2, big.piece(2));
        }
        byte[] onDisk = Files.readAllBytes(root.resolve("t/big.bin"));
        assertThat(onDisk).hasSize(48);
        assertThat(ByteBuffer.wrap(onDisk, 0, 32)).isEqualTo(ByteBuffer.allocate(32));
    }

    @Test
    void refusesToReadAFileThatDoesNotExistYet() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            assertThatThrownBy(() -> storage.read(0, 0, ByteBuffer.allocate(4)))
                    .isInstanceOf(MissingDataException.class)
                    .hasMessageContaining("a.bin").hasMessageContaining("does not exist");
        }
    }

    @Test
    void refusesToReadPastTheEndOfAShortFile() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            storage.writePiece(0, SAMPLE.piece(0));
            assertThatThrownBy(() -> storage.read(2, 0, ByteBuffer.allocate(8)))
                    .isInstanceOf(MissingDataException.class).hasMessageContaining("ends at 16 bytes");
        }
    }

    @Test
    void refusesAPieceOfTheWrongSize() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            assertThatThrownBy(() -> storage.writePiece(0, ByteBuffer.allocate(15)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesAPathThatLeavesTheRoot() throws IOException {
        Path inside = Files.createDirectory(root.resolve("inside"));
        PieceMap map = new PieceMap(List.of(FileEntry.of(List.of("..", "escaped"), 4, 0)), 4, 1);
        try (FileStorage storage = FileStorage.open(inside, map, 4)) {
            assertThatThrownBy(() -> storage.writePiece(0, ByteBuffer.allocate(4)))
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).operation())
                            .isEqualTo(StorageException.Operation.RESOLVE));
        }
        assertThat(root.resolve("escaped")).doesNotExist();
    }

    @Test
    void refusesToWriteThroughASymbolicLinkPointingOutside() throws IOException {
        Path outside = Files.createDirectory(root.resolve("outside"));
        Path downloads = Files.createDirectory(root.resolve("downloads"));
        Files.createSymbolicLink(downloads.resolve("t"), outside);
        try (FileStorage storage = FileStorage.open(downloads, SAMPLE.info())) {
            assertThatThrownBy(() -> storage.writePiece(0, SAMPLE.piece(0)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(downloads.toRealPath().resolve("t").toString())
                    .hasMessageContaining("symbolic link");
        }
        try (var listing = Files.list(outside)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void refusesASymbolicLinkPlantedAsTheFileItself() throws IOException {
        Path target = Files.writeString(root.resolve("secret"), "secret");
        Path downloads = Files.createDirectory(root.resolve("downloads"));
        Files.createDirectories(downloads.resolve("t"));
        Files.createSymbolicLink(downloads.resolve("t/a.bin"), target);
        try (FileStorage storage = FileStorage.open(downloads, SAMPLE.info())) {
            assertThatThrownBy(() -> storage.writePiece(0, SAMPLE.piece(0))).isInstanceOf(StorageException.class);
            assertThatThrownBy(() -> storage.read(0, 0, ByteBuffer.allocate(6)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("symbolic link");
        }
        assertThat(target).hasContent("secret");
    }

    @Test
    void refusesARootThatDoesNotExist() {
        assertThatThrownBy(() -> FileStorage.open(root.resolve("unmounted"), SAMPLE.info()))
                .isInstanceOf(StorageException.class).hasMessageContaining("unmounted");
    }

    @Test
    void keepsNoMoreFilesOpenThanItsCap() throws IOException {
        String[] files = new String[100];
        for (int i = 0; i < files.length; i++) {
            files[i] = "f" + i + "=10";
        }
        SampleTorrent many = SampleTorrent.of(16, files);
        FaultyDisk disk = new FaultyDisk();
        try (FileStorage storage = new FileStorage(root, many.map(), 8, disk)) {
            writeAll(storage, many);
            assertThat(disk.mostOpen.get()).isLessThanOrEqualTo(8);
            for (int piece = 0; piece < many.info().pieceCount(); piece++) {
                ByteBuffer back = ByteBuffer.allocate(many.info().pieceSize(piece));
                storage.read(piece, 0, back);
                assertThat(back.array()).isEqualTo(many.range(piece * 16L, back.capacity()));
            }
            assertThat(disk.mostOpen.get()).isLessThanOrEqualTo(8);
        }
        assertThat(disk.open.get()).isZero();
        assertThat(root.resolve("t/f99")).hasBinaryContent(many.fileContent(99));
    }

    @Test
    void forcesOnlyTheFilesWrittenSinceTheLastForce() throws IOException {
        FaultyDisk disk = new FaultyDisk();
        try (FileStorage storage = new FileStorage(root, SAMPLE.map(), 8, disk)) {
            storage.writePiece(0, SAMPLE.piece(0)); // a.bin
            storage.force();
            assertThat(disk.forces.get()).isEqualTo(1);
            storage.force();
            assertThat(disk.forces.get()).isEqualTo(1);
            storage.writePiece(2, SAMPLE.piece(2)); // a.bin, b.bin
            storage.force();
            assertThat(disk.forces.get()).isEqualTo(3);
        }
    }

    @Test
    void aFailedWriteLeavesEarlierPiecesIntactAndNamesTheFile() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (FileStorage storage = new FileStorage(root, SAMPLE.map(), 8, disk)) {
            storage.writePiece(0, SAMPLE.piece(0));
            storage.writePiece(1, SAMPLE.piece(1));
            storage.force();
            disk.fill();
            assertThatThrownBy(() -> storage.writePiece(2, SAMPLE.piece(2)))
                    .isInstanceOf(StorageException.class)
                    .hasMessage("cannot write " + storage.location(0) + ": " + FaultyDisk.GERMAN_NO_SPACE)
                    .satisfies(e -> {
                        StorageException error = (StorageException) e;
                        assertThat(error.operation()).isEqualTo(StorageException.Operation.WRITE);
                        assertThat(error.file()).contains(storage.location(0));
                        assertThat(error.isOutOfSpace()).isTrue();
                    });
            disk.free();
            var present = new PieceChecker(storage, SAMPLE.map(), SAMPLE.info()::pieceHash)
                    .check(2, new java.util.concurrent.atomic.AtomicLong());
            assertThat(present.get(0)).isTrue();
            assertThat(present.get(1)).isTrue();
            assertThat(present.get(2)).isFalse();
            storage.writePiece(2, SAMPLE.piece(2)); // space came back: the retry succeeds
            ByteBuffer back = ByteBuffer.allocate(16);
            storage.read(2, 0, back);
            assertThat(back.array()).isEqualTo(SAMPLE.range(32, 16));
        }
    }

    @Test
    void aFailedWriteIsOutOfSpaceByTheFreeSpaceLeftNotByItsMessage() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (FileStorage storage = new FileStorage(root, SAMPLE.map(), 8, disk)) {
            // English text that once meant a full disk, on a disk with room to spare: some other fault.
            disk.failWrites("No space left on device");
            assertThatThrownBy(() -> storage.writePiece(0, SAMPLE.piece(0)))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isOutOfSpace()).isFalse());
            assertThat(StorageException.outOfSpace(new IOException("wrapped",
                    catchIOException(() -> storage.writePiece(0, SAMPLE.piece(0)))))).isFalse();

            disk.fill(); // no room, whatever the language
            IOException full = catchIOException(() -> storage.writePiece(0, SAMPLE.piece(0)));
            assertThat(full).hasMessageContaining(FaultyDisk.GERMAN_NO_SPACE);
            assertThat(StorageException.outOfSpace(new IOException("wrapped", full))).isTrue();
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static IOException catchIOException(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("no IOException");
    }

    @Test
    void writesFromSeveralThreadsAtOnce() throws Exception {
        SampleTorrent torrent = SampleTorrent.of(1024, "x=10000", "pad=240", "y=5000", "z=70000", "w=3");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (FileStorage storage = new FileStorage(root, torrent.map(), 2, ChannelOpener.DEFAULT)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int piece = torrent.info().pieceCount() - 1; piece >= 0; piece--) {
                int index = piece;
                writes.add(pool.submit(() -> {
                    storage.writePiece(index, torrent.piece(index));
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            storage.force();
        } finally {
            pool.shutdown();
        }
        assertThat(root.resolve("t/x")).hasBinaryContent(torrent.fileContent(0));
        assertThat(root.resolve("t/y")).hasBinaryContent(torrent.fileContent(2));
        assertThat(root.resolve("t/z")).hasBinaryContent(torrent.fileContent(3));
        assertThat(root.resolve("t/w")).hasBinaryContent(torrent.fileContent(4));
    }

    @Test
    void reopensAChannelThatAnInterruptClosed() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            writeAll(storage, SAMPLE);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> storage.read(0, 0, ByteBuffer.allocate(4)))
                        .isInstanceOf(ClosedByInterruptException.class);
            } finally {
                Thread.interrupted();
            }
            ByteBuffer back = ByteBuffer.allocate(4);
            storage.read(0, 0, back);
            assertThat(back.array()).isEqualTo(SAMPLE.range(0, 4));
        }
    }

    @Test
    void otherThreadsCarryOnWhileOthersAreInterruptedMidRead() throws Exception {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            writeAll(storage, SAMPLE);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread steady = Thread.ofPlatform().start(() -> {
                ByteBuffer back = ByteBuffer.allocate(16);
                while (!stop.get()) {
                    try {
                        storage.read(0, 0, back.clear());
                        assertThat(back.array()).isEqualTo(SAMPLE.range(0, 16));
                    } catch (Throwable t) {
                        failure.set(t);
                        stop.set(true);
                    }
                }
            });
            for (int i = 0; i < 100 && !stop.get(); i++) {
                Thread victim = Thread.ofVirtual().start(() -> {
                    try {
                        while (true) {
                            storage.read(0, 0, ByteBuffer.allocate(16));
                        }
                    } catch (IOException expected) {
                        // interrupted
                    }
                });
                Thread.sleep(1);
                victim.interrupt();
                victim.join();
            }
            stop.set(true);
            steady.join();
            assertThat(failure.get()).isNull();
        }
    }

    static void writeAll(Storage storage, SampleTorrent torrent) throws IOException {
        for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
            ByteBuffer data = torrent.piece(piece);
            int position = data.position();
            storage.writePiece(piece, data);
            assertThat(data.position()).isEqualTo(position);
        }
    }
}
