package dev.jtorrent.cli.interop;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.PieceChecker;
import dev.jtorrent.storage.PieceMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code download} killed with SIGKILL at random moments, ten times over one download, and started again each
 * time: the data ends bit-exact, every piece verified on disk before a start is found by that start (so no verified
 * piece is fetched twice), and what the seeder sent beyond one copy stays within the pieces in flight at each kill.
 * libtorrent seeds at a throttled rate, so that each run has time to fetch some of the data before it is killed.
 */
@Timeout(300)
class KilledDownloadIT {
    private static final String LEECHER_IP = "127.0.0.30";
    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 64 * MIB + 4321;
    private static final int PIECE = 256 * 1024;
    private static final int KILLS = 10;
    /** Pieces partly received when a kill comes, and data in the socket buffers, are fetched again: per kill. */
    private static final long REFETCH_PER_KILL = MIB;
    private static final Pattern START = Pattern.compile("(\\d+) of (\\d+) pieces on disk at the start");
    private static final Pattern ANNOUNCED = Pattern.compile("answered STARTED");

    @TempDir
    Path dir;

    private Swarm swarm;

    @Test
    void killedTenTimesTheDownloadEndsBitExactAndNoVerifiedPieceIsFetchedTwice() throws Exception {
        swarm = new Swarm(dir, List.of(SeederClient.LIBTORRENT), Announce.HTTP,
                parent -> SampleContent.file(parent, "big.bin", SIZE, 30), "256KiB", List.of(), 4 * MIB).seed();
        LibtorrentClient libtorrent = (LibtorrentClient) swarm.seeders().get(0);
        Torrent torrent = Torrent.parse(Files.readAllBytes(swarm.torrent()));
        Path into = dir.resolve("leecher");
        List<String> options = List.of("--resume-dir", dir.resolve("resume").toString());
        long seed = System.nanoTime();
        Random random = new Random(seed);
        JtorrentLeecher jtorrent = new JtorrentLeecher();

        BitSet onDisk = new BitSet();
        int startsSeen = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            JtorrentLeecher.Running running = jtorrent.start(swarm.torrent(), into, LEECHER_IP,
                    Loopback.freePort(LEECHER_IP), options);
            int startsBefore = starts(running.log());
            long announcedBefore = ANNOUNCED.matcher(running.log()).results().count();
            try {
                if (kill % 2 == 0) {
                    Thread.sleep(random.nextLong(800, 2000)); // from JVM start-up to well into the transfer
                } else {
                    // On a loaded machine a start alone can take 2 s: every other kill lands once the tracker
                    // has answered, so that some kills come during the transfer however slow the start.
                    awaitLine(running, ANNOUNCED, announcedBefore, Duration.ofSeconds(60));
                    Thread.sleep(random.nextLong(300, 1500));
                }
                assertThat(running.isAlive()).as("jtorrent was still downloading at kill %d (random seed %d); "
                        + "throttle the seeder harder\n%s", kill, seed, running.describe()).isTrue();
            } finally {
                running.close(); // SIGKILL
            }
            startsSeen += checkStart(running.log(), startsBefore, onDisk, kill);
            BitSet now = verifiedOnDisk(torrent, into);
            BitSet lost = (BitSet) onDisk.clone();
            lost.andNot(now);
            assertThat(lost.isEmpty()).as("pieces verified on disk before kill %d and gone after: %s", kill, lost)
                    .isTrue();
            System.out.printf("kill %d: %d of %d pieces verified on disk%n", kill, now.cardinality(),
                    torrent.info().pieceCount());
            onDisk = now;
        }
        assertThat(onDisk.cardinality()).as("the kills came during the transfer").isBetween(1,
                torrent.info().pieceCount() - 1);

        JtorrentLeecher.Running last = jtorrent.start(swarm.torrent(), into, LEECHER_IP,
                Loopback.freePort(LEECHER_IP), options);
        int startsBefore = starts(last.log());
        try {
            last.await(Duration.ofSeconds(120));
        } finally {
            last.close();
        }
        startsSeen += checkStart(last.log(), startsBefore, onDisk, KILLS);
        SameContent.assertIdentical(swarm.content(), into.resolve(swarm.content().getFileName()),
                "jtorrent killed " + KILLS + " times");
        assertThat(startsSeen).as("starts whose check finished before the kill, and the last").isGreaterThan(KILLS / 2);

        Thread.sleep(1_500); // libtorrent reports its upload twice a second
        long refetched = libtorrent.uploaded() - SIZE;
        System.out.printf("libtorrent uploaded %d bytes beyond one copy over %d kills (%.1f MiB per kill)%n",
                refetched, KILLS, refetched / (double) MIB / KILLS);
        assertThat(refetched).as("bytes sent twice").isLessThanOrEqualTo(KILLS * REFETCH_PER_KILL);
    }

    /**
     * Checks the "N of M pieces on disk at the start" line of the run that just ended, if it got that far: it must
     * have found every piece that was verified on disk before it started. Returns 1 if it did, 0 if the run was
     * killed before its check ended.
     */
    private static int checkStart(String log, int startsBefore, BitSet onDisk, int run) {
        Matcher matcher = START.matcher(log);
        int seen = 0;
        String line = null;
        while (matcher.find()) {
            if (++seen > startsBefore) {
                line = matcher.group();
                assertThat(Integer.parseInt(matcher.group(1))).as("run %d found at its start (%s) the %d pieces "
                        + "verified on disk before it", run, line, onDisk.cardinality())
                        .isGreaterThanOrEqualTo(onDisk.cardinality());
            }
        }
        return line == null ? 0 : 1;
    }

    /** Waits until the log has more lines matching {@code pattern} than the {@code before} it had at the start. */
    private static void awaitLine(JtorrentLeecher.Running running, Pattern pattern, long before, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pattern.matcher(running.log()).results().count() <= before) {
            if (System.nanoTime() > deadline || !running.isAlive()) {
                throw new AssertionError("no line matching " + pattern + " within " + timeout + "\n"
                        + running.describe());
            }
            Thread.sleep(20);
        }
    }

    private static int starts(String log) {
        return (int) START.matcher(log).results().count();
    }

    private static BitSet verifiedOnDisk(Torrent torrent, Path into) throws Exception {
        try (FileStorage storage = FileStorage.open(Files.createDirectories(into), torrent.info())) {
            return new PieceChecker(storage, PieceMap.of(torrent.info()), torrent.info()::pieceHash)
                    .check(new AtomicLong());
        }
    }

    @AfterEach
    void stop() {
        if (swarm != null) {
            swarm.close();
        }
    }
}
