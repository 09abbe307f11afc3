package dev.jtorrent.storage;

import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;

import static dev.jtorrent.storage.FilePriority.NORMAL;
import static dev.jtorrent.storage.FilePriority.SKIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A skipped file in {@link FileStorage}: never created, the bytes of it that its neighbours' pieces carry kept in the
 * parts file, and moved into place when it is wanted again, safely against a crash midway.
 *
 * <p>The torrent: {@code a.bin} (40 bytes), {@code b.bin} (30) and {@code c.bin} (40) in pieces of 16 bytes. Piece 2
 * holds the end of a and the start of b, piece 3 is b's alone, piece 4 holds the end of b and the start of c.
 */
class SkippedFilesTest {
    private static final SampleTorrent SAMPLE = SampleTorrent.of(16, "a.bin=40", "b.bin=30", "c.bin=40");
    private static final InfoHash HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    private static final List<FilePriority> SKIP_B = List.of(NORMAL, SKIP, NORMAL);
    private static final List<FilePriority> ALL = List.of(NORMAL, NORMAL, NORMAL);
    /** Every piece that a wanted file has bytes in, with b skipped. */
    private static final int[] WANTED_WITHOUT_B = {0, 1, 2, 4, 5, 6};

    @TempDir
    Path root;

    private Path parts() {
        return root.resolve(".0123456789abcdef0123456789abcdef01234567.parts");
    }

    private FileStorage open(List<FilePriority> priorities) throws IOException {
        return open(priorities, ChannelOpener.DEFAULT);
    }

    private FileStorage open(List<FilePriority> priorities, ChannelOpener opener) throws IOException {
        return FileStorage.open(root, SAMPLE.info(), HASH, priorities, opener);
    }

    @Test
    void aSkippedFileIsNeverCreatedAndTheBytesOfItInSharedPiecesGoToThePartsFile() throws IOException {
        try (FileStorage storage = open(SKIP_B)) {
            write(storage, WANTED_WITHOUT_B);
            storage.force();

            assertThat(root.resolve("t/b.bin")).doesNotExist();
            assertThat(root.resolve("t/a.bin")).hasBinaryContent(SAMPLE.fileContent(0));
            assertThat(root.resolve("t/c.bin")).hasBinaryContent(SAMPLE.fileContent(2));
            assertThat(storage.parkedSpans().pieces().stream().boxed()).containsExactly(2, 4);
            assertThat(storage.parkedSpans().isParked(1)).isTrue();
            for (int piece : WANTED_WITHOUT_B) {
                assertThat(read(storage, piece)).as("piece %d", piece).isEqualTo(SAMPLE.piece(piece).slice());
            }
        }
        assertThat(Files.list(root).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("t", parts().getFileName().toString());
    }

    /** The parts file is libtorrent's: a header of piece count, piece length and a slot per piece, then the slots. */
    @Test
    void thePartsFileIsLaidOutAsLibtorrentsIs() throws IOException {
        try (FileStorage storage = open(SKIP_B)) {
            write(storage, WANTED_WITHOUT_B);
            storage.force();
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(parts()));
        assertThat(file.getInt(0)).as("piece count").isEqualTo(7);
        assertThat(file.getInt(4)).as("piece length").isEqualTo(16);
        int[] slots = new int[7];
        for (int piece = 0; piece < 7; piece++) {
            slots[piece] = file.getInt(8 + 4 * piece);
        }
        assertThat(slots).containsExactly(-1, -1, 0, -1, 1, -1, -1);
        int header = 1024;
        // Slot 0 holds piece 2: a's 8 bytes are a hole, b's first 8 bytes follow at their place in the piece.
        assertThat(Arrays.copyOfRange(file.array(), header, header + 8)).containsOnly(0);
        assertThat(Arrays.copyOfRange(file.array(), header + 8, header + 16)).isEqualTo(SAMPLE.range(40, 8));
        // Slot 1 holds piece 4: b's last 6 bytes, then c's are a hole (the file ends with b's bytes).
        assertThat(Arrays.copyOfRange(file.array(), header + 16, header + 22)).isEqualTo(SAMPLE.range(64, 6));
        assertThat(file.capacity()).isEqualTo(header + 22);
    }

    @Test
    void aSkippedFileWantedAgainGetsItsBytesMovedIntoPlaceAndThePartsFileGoes() throws IOException {
        try (FileStorage storage = open(SKIP_B)) {
            write(storage, WANTED_WITHOUT_B);
            storage.force();

            storage.filePrioritiesChanged(ALL);

            assertThat(parts()).doesNotExist();
            assertThat(storage.parkedSpans().pieces().isEmpty()).isTrue();
            // a's bytes in slot 0 are a hole, and were not moved over a's bytes in place
            assertThat(root.resolve("t/a.bin")).hasBinaryContent(SAMPLE.fileContent(0));
            byte[] b = Files.readAllBytes(root.resolve("t/b.bin"));
            assertThat(Arrays.copyOfRange(b, 0, 8)).isEqualTo(SAMPLE.range(40, 8));
            assertThat(Arrays.copyOfRange(b, 24, 30)).isEqualTo(SAMPLE.range(64, 6));
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
            assertThat(read(storage, 4)).isEqualTo(SAMPLE.piece(4).slice());

            write(storage, 3);
            assertThat(root.resolve("t/b.bin")).hasBinaryContent(SAMPLE.fileContent(1));
        }
        assertThat(Files.list(root.resolve("t")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("a.bin", "b.bin", "c.bin");
    }

    @Test
    void aRestartFindsTheParkedBytesInThePartsFile() throws IOException {
        try (FileStorage storage = open(SKIP_B)) {
            write(storage, WANTED_WITHOUT_B);
            storage.force();
        }
        try (FileStorage storage = open(SKIP_B)) {
            assertThat(storage.parkedSpans().pieces().stream().boxed()).containsExactly(2, 4);
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
            assertThat(read(storage, 4)).isEqualTo(SAMPLE.piece(4).slice());
            assertThat(root.resolve("t/b.bin")).doesNotExist();
        }
    }

    @Test
    void aRestartWithTheFileWantedMovesItsBytesIntoPlace() throws IOException {
        try (FileStorage storage = open(SKIP_B)) {
            write(storage, WANTED_WITHOUT_B);
            storage.force();
        }
        try (FileStorage storage = open(ALL)) {
            assertThat(parts()).doesNotExist();
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
            assertThat(read(storage, 4)).isEqualTo(SAMPLE.piece(4).slice());
        }
    }

    /** Moving a file that is on disk into the parts file would cost a copy and spare nobody anything. */
    @Test
    void aFileSkippedOnceItIsOnDiskIsWrittenInPlace() throws IOException {
        try (FileStorage storage = open(ALL)) {
            write(storage, 2);
            storage.filePrioritiesChanged(SKIP_B);
            write(storage, 4);
            storage.force();
            assertThat(parts()).doesNotExist();
            assertThat(storage.parkedSpans().isParked(1)).isFalse();
            byte[] b = Files.readAllBytes(root.resolve("t/b.bin"));
            assertThat(Arrays.copyOfRange(b, 24, 30)).isEqualTo(SAMPLE.range(64, 6));
        }
    }

    @Test
    void aFileSkippedBeforeItsFirstByteIsParkedFromThen() throws IOException {
        try (FileStorage storage = open(ALL)) {
            write(storage, 0);
            storage.filePrioritiesChanged(SKIP_B);
            write(storage, 2);
            storage.force();
            assertThat(root.resolve("t/b.bin")).doesNotExist();
            assertThat(storage.parkedSpans().pieces().stream().boxed()).containsExactly(2);
        }
    }

    @Test
    void aSkippedEmptyFileIsNotCreatedAtTheEnd() throws IOException {
        SampleTorrent withEmpty = SampleTorrent.of(16, "a.bin=40", "empty=0", "other-empty=0");
        try (FileStorage storage = FileStorage.open(root, withEmpty.info(), HASH, List.of(NORMAL, SKIP, NORMAL),
                ChannelOpener.DEFAULT)) {
            storage.createEmptyFiles();
        }
        assertThat(root.resolve("t/empty")).doesNotExist();
        assertThat(root.resolve("t/other-empty")).exists();
    }

    @Test
    void storageWithoutAPartsFileRefusesToSkipAFile() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            assertThatThrownBy(() -> storage.filePrioritiesChanged(SKIP_B))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThat(storage.filePriorities()).isEqualTo(ALL);
        }
    }

    @Test
    void prioritiesMustNameEveryFile() {
        assertThatThrownBy(() -> open(List.of(NORMAL, SKIP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 file priorities for a torrent of 3 files (pad files included)");
    }

    // ---- a crash while bytes move into place ------------------------------------------------------------------

    /**
     * The power fails while b is being made whole under its temporary name: b does not exist afterwards, and its bytes
     * are still in the parts file, whether the next start skips it still or wants it.
     */
    @Test
    void aCrashWhileAMovedFileIsWrittenLeavesItsBytesInThePartsFile() throws IOException {
        parkB();
        PowerCut disk = new PowerCut();
        ChannelOpener failing = cutPowerAt(disk, (path, length) -> path.getFileName().toString().endsWith("-move"));
        try (FileStorage storage = open(SKIP_B, failing)) {
            assertThatThrownBy(() -> storage.filePrioritiesChanged(ALL)).isInstanceOf(IOException.class);
        }
        assertThat(root.resolve("t/b.bin")).doesNotExist();
        try (FileStorage storage = open(SKIP_B)) {
            assertThat(storage.parkedSpans().pieces().stream().boxed()).containsExactly(2, 4);
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
        }
        try (FileStorage storage = open(ALL)) {
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
            assertThat(read(storage, 4)).isEqualTo(SAMPLE.piece(4).slice());
            assertThat(parts()).doesNotExist();
        }
    }

    /**
     * The power fails as the parts file lets go of a slot whose bytes were moved: they are in place already, forced,
     * so the next start reads them there and drops the slot.
     */
    @Test
    void aCrashAsASlotIsFreedLeavesTheBytesInPlace() throws IOException {
        parkB();
        PowerCut disk = new PowerCut();
        ChannelOpener failing = cutPowerAt(disk, (path, length) -> path.equals(parts()) && length == Integer.BYTES);
        try (FileStorage storage = open(SKIP_B, failing)) {
            assertThatThrownBy(() -> storage.filePrioritiesChanged(ALL)).isInstanceOf(IOException.class);
        }
        assertThat(parts()).exists();
        try (FileStorage storage = open(ALL)) {
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
            assertThat(read(storage, 4)).isEqualTo(SAMPLE.piece(4).slice());
            assertThat(parts()).doesNotExist();
        }
    }

    /** The power fails before a parked piece was forced: a restart finds the pieces forced before, and not that one. */
    @Test
    void aCrashBeforeTheForceLosesNothingThatWasForced() throws IOException {
        PowerCut disk = new PowerCut();
        try (FileStorage storage = open(SKIP_B, disk)) {
            write(storage, 2);
            storage.force();
            write(storage, 4);
            disk.cut();
        }
        try (FileStorage storage = open(SKIP_B)) {
            assertThat(storage.parkedSpans().pieces().stream().boxed()).containsExactly(2);
            assertThat(read(storage, 2)).isEqualTo(SAMPLE.piece(2).slice());
            assertThatThrownBy(() -> read(storage, 4)).isInstanceOf(MissingDataException.class);
        }
    }

    private void parkB() throws IOException {
        try (FileStorage storage = open(SKIP_B)) {
            write(storage, WANTED_WITHOUT_B);
            storage.force();
        }
    }

    /** The disk's power fails at the first write that {@code when} picks (by file and length); that write fails. */
    private static ChannelOpener cutPowerAt(PowerCut disk, BiPredicate<Path, Integer> when) {
        return (path, options) -> new ForwardingChannel(disk.open(path, options)) {
            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                if (when.test(path, src.remaining())) {
                    disk.cut();
                    throw new IOException("the power failed");
                }
                return super.write(src, position);
            }
        };
    }

    private static void write(FileStorage storage, int... pieces) throws IOException {
        for (int piece : pieces) {
            storage.writePiece(piece, SAMPLE.piece(piece));
        }
    }

    private static ByteBuffer read(FileStorage storage, int piece) throws IOException {
        ByteBuffer back = ByteBuffer.allocate(SAMPLE.info().pieceSize(piece));
        storage.read(piece, 0, back);
        return back.flip();
    }
}
