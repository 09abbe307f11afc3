package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileSpan;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.PieceVerifier;
import dev.jtorrent.storage.PowerCut;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durability order under a simulated power cut: whatever moment the power goes, no piece that the resume file
 * records, and none that a peer was told about with {@code have}, lacks its data afterwards. The cut drops every
 * write not yet forced ({@link PowerCut}); resume data is saved after every force here, so that saves race with
 * writes as often as possible.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PowerCutTest {
    private static final int PIECE = 64 * 1024;
    private static final int TRIALS = 8;
    private static final long SEED_RATE = 16L << 20;
    /** Each force takes this long, as on a slow disk: the writes it covers are still unforced when most cuts come. */
    private static final Duration FORCE_TAKES = Duration.ofMillis(10);

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private Path dir;
    private Torrent torrent;
    private Path content;

    @BeforeEach
    void seed() throws Exception {
        dir = swarm.dir();
        content = swarm.content("content", 8 << 20, (8 << 20) + 12_345, (8 << 20) + 24_690);
        torrent = swarm.torrentOf(content, PIECE);
        // Held to 16 MiB/s, so that the download takes about 1.5 s whatever the machine: the cuts, 20 to 400 ms in,
        // must find writes under way (unlimited, a quiet machine downloads the 24 MiB before the first cut).
        swarm.add(swarm.session(), torrent, AddOptions.builder().downloadDirectory(content.getParent())
                .uploadLimit(SEED_RATE).build());
    }

    @Test
    void afterACutAtAnyMomentEveryRecordedOrAnnouncedPieceHasItsData() throws Exception {
        Random random = new Random(7);
        int cutsThatUndidWrites = 0;
        int cutsWithPiecesRecorded = 0;
        AtomicInteger havesSeen = new AtomicInteger();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path downloads = Files.createDirectories(dir.resolve("trial-" + trial));
            Path resumeDir = dir.resolve("resume-" + trial);
            PowerCut disk = new PowerCut(FORCE_TAKES);
            Session leecher = Session.start(config().toBuilder().resumeDirectory(resumeDir).build(), disk);
            List<String> haveBeforeDurable = new CopyOnWriteArrayList<>();
            try {
                TorrentHandle handle = Adds.checked(leecher, torrent, downloads);
                FakePeer watcher = watch(leecher.port(), downloads, disk, haveBeforeDurable, havesSeen);
                // The download takes a few hundred milliseconds: cut anywhere in it.
                Thread.sleep(random.nextInt(20, 400));
                long undone = disk.cut();
                cutsThatUndidWrites += undone > 0 ? 1 : 0;
                watcher.close();
                handle.pause();
            } finally {
                leecher.close();
            }

            assertThat(haveBeforeDurable).as("trial %d: have sent for pieces not yet forced", trial).isEmpty();
            Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");
            if (Files.exists(resumeFile)) {
                ResumeData data = ResumeData.parse(Files.readAllBytes(resumeFile)); // whole, never torn
                PieceSet recorded = PieceSet.fromBitfield(data.bitfield(), torrent.info().pieceCount());
                cutsWithPiecesRecorded += recorded.isEmpty() ? 0 : 1;
                assertRecordedPiecesHaveTheirData(downloads, recorded, trial);
            }

            // And the download finishes from there, bit-exact.
            TorrentHandle resumed = swarm.add(swarm.session(config().toBuilder().resumeDirectory(resumeDir).build()), torrent,
                    downloads);
            resumed.completion().get(30, TimeUnit.SECONDS);
            resumed.pause();
            for (int i = 0; i < 3; i++) {
                assertThat(Files.mismatch(content.resolve("file-" + i + ".bin"),
                        downloads.resolve("content/file-" + i + ".bin"))).isEqualTo(-1L);
            }
        }
        // The trials must have met the hard cases, or they prove nothing.
        assertThat(cutsThatUndidWrites).as("cuts that dropped unforced writes").isGreaterThan(0);
        assertThat(cutsWithPiecesRecorded).as("cuts after pieces were recorded").isGreaterThan(0);
        assertThat(havesSeen.get()).as("haves checked as they arrived").isGreaterThan(0);
    }

    private void assertRecordedPiecesHaveTheirData(Path downloads, PieceSet recorded, int trial) throws IOException {
        try (FileStorage storage = FileStorage.open(downloads, torrent.info())) {
            for (int piece = recorded.next(0); piece >= 0; piece = recorded.next(piece + 1)) {
                ByteBuffer data = ByteBuffer.allocate(torrent.info().pieceSize(piece));
                try {
                    storage.read(piece, 0, data);
                } catch (IOException e) {
                    throw new AssertionError("trial " + trial + ": recorded piece " + piece + " unreadable: " + e);
                }
                assertThat(PieceVerifier.matches(torrent.info().pieceHash(piece), data.flip()))
                        .as("trial %d: recorded piece %d matches its hash", trial, piece).isTrue();
            }
        }
    }

    /**
     * A peer that only listens: for each {@code have} the leecher sends, it checks at once that the piece's bytes
     * were forced.
     */
    private FakePeer watch(int port, Path downloads, PowerCut disk, List<String> violations, AtomicInteger haves)
            throws IOException {
        PieceMap map = PieceMap.of(torrent.info());
        return FakePeer.connect(port, torrent.infoHash()).watching(message -> {
            if (message instanceof Message.Have have) {
                haves.incrementAndGet();
                for (FileSpan span : map.spans(have.piece())) {
                    FileEntry file = map.files().get(span.fileIndex());
                    Path path = downloads.resolve(String.join("/", file.path())); // the path starts with the name
                    try {
                        if (!disk.durable(path, span.fileOffset(), span.length())) {
                            violations.add("piece " + have.piece() + " at " + path + "@" + span.fileOffset() + "+"
                                    + span.length() + ", unforced: " + disk.unforcedWrites(path));
                        }
                    } catch (IOException e) {
                        violations.add("piece " + have.piece() + ": cannot tell (" + e + ")");
                    }
                }
            }
        });
    }

    private static SessionConfig config() {
        SessionConfig config = LoopbackSwarm.config();
        return config.withSwarm(config.swarm().withRecordInterval(Duration.ZERO));
    }
}
