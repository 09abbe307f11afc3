package dev.jtorrent.cli.interop;

import static dev.jtorrent.cli.interop.SampleContent.KIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.InfoHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swarm (issue 4): one {@code jtorrent seed}, four {@code jtorrent download} leechers and one libtorrent leecher,
 * found through opentracker. Every leecher must finish bit-exact, and the leechers must trade pieces among
 * themselves: five copies leave the swarm, and a seed that served them all itself would upload five copies.
 *
 * <p><b>Started together.</b> The five leechers start first and announce (they find each other, with nothing to
 * trade yet); then the seed starts, is handed all five by the tracker and dials them, so all five begin downloading
 * within milliseconds of each other. Started one after the other instead, the JVMs' start-up on a loaded 2-core
 * machine (seconds) is most of a download that takes seconds: libtorrent, up first, had everything from the seed
 * before the first jtorrent was connected, and the last jtorrent started when the first were nearly done.
 *
 * <p><b>Measured.</b> What the seed uploaded is what {@code jtorrent seed} itself reports as it stops on SIGTERM (its
 * "Stopped seeding ... (ratio R)" line: payload bytes handed to connections over the content's size; a count that
 * can only overstate what left). What the jtorrent leechers sent each other is what each logs, with
 * {@code --verbose}, as each connection ends ("received N bytes").
 *
 * <p><b>A seed slower than its swarm.</b> The seed uploads under {@code --upload-limit}, as a seed behind a home
 * connection does: unlimited on loopback it is as fast as any leecher, and how much of every copy comes from it
 * then says more about its speed against theirs than about whether they share (see {@link #MAX_SEEDER_COPIES}).
 *
 * <p>Every client has an address of its own (several clients tell peers apart by IP alone), none of them used by
 * the other interop tests.
 */
class SwarmOfJtorrentsIT {

    private static final String SEED_IP = "127.0.0.20";
    private static final List<String> JTORRENT_LEECHER_IPS = List.of("127.0.0.21", "127.0.0.22", "127.0.0.23",
            "127.0.0.24");
    private static final String LIBTORRENT_IP = "127.0.0.25";

    /** 64 MiB and a bit, in 128 KiB pieces: 513 pieces, the last one short; enough for trading to show. */
    private static final long SIZE = 64 * 1024 * KIB + 4_321;
    private static final String PIECE_SIZE = "128KiB";
    private static final int LEECHERS = JTORRENT_LEECHER_IPS.size() + 1;
    /**
     * A sixteenth of a copy a second: far under what the leechers can send each other on loopback, so that how
     * long they take to pass on what the seed sent them, which depends on the machine, adds little to its upload.
     */
    private static final String SEED_UPLOAD_LIMIT = "4MiB";
    /**
     * The most copies the seed may upload: five would be no sharing at all, one is the least possible. Measured
     * 1.27 to 1.33 in 22 s, also with two busy loops taking the machine's two cores. The rest of a copy is the
     * seed's data sent to two leechers that asked for the same piece before either had it. (With 16 MiB/s it was
     * 1.47 to 1.53 in 7 to 8 s, and the CI machine took half as long again as this one.)
     *
     * <p>The bound failed, as it should, while every jtorrent ranked equally rare pieces alike (counting a seed's
     * bitfield left the pickers' orders all last index first): the leechers then asked the seed for the same pieces,
     * and it uploaded 2.18 to 2.34 copies in 36 to 38 s.
     */
    private static final double MAX_SEEDER_COPIES = 2.0;
    /**
     * The least the four jtorrent leechers must send each other, in copies: they upload while they download, not
     * only libtorrent to them. Measured 2.25 to 2.32 (0.61 to 1.00 while the pickers ranked pieces alike).
     */
    private static final double MIN_COPIES_BETWEEN_JTORRENTS = 1.0;

    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(60);
    /** For all five together, from their start; each finishes in seconds on an idle machine. */
    private static final Duration SWARM_TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    private Opentracker tracker;
    private JtorrentSeeder seeder;
    private final List<JtorrentLeecher.Running> jtorrents = new ArrayList<>();
    private LibtorrentClient libtorrent;

    @Test
    @Timeout(600) // a backstop only: every wait has its own, shorter limit and a clearer message
    void everyLeecherFinishesBitExactAndTheyTradePiecesAmongThemselves() {
        Path content = SampleContent.file(dir.resolve("seed"), "swarm.bin", SIZE, 41);
        tracker = Opentracker.onFreePort();
        Path torrent = JtorrentCli.fromBuild().create(content, dir.resolve("swarm.torrent"),
                List.of("--piece-size", PIECE_SIZE, "-t", tracker.httpAnnounce()));
        InfoHash infoHash = Harness.infoHashOf(torrent);
        tracker.start(dir.resolve("tracker"), List.of(infoHash));
        for (String ip : JTORRENT_LEECHER_IPS) {
            jtorrents.add(new JtorrentLeecher().start(torrent, leecherDir(ip), ip, Loopback.freePort(ip)));
        }
        libtorrent = new LibtorrentClient(ReferenceClient.Role.LEECH);
        libtorrent.start(torrent, leecherDir(LIBTORRENT_IP), LIBTORRENT_IP, Loopback.freePort(LIBTORRENT_IP));
        Await.untilTrue("the " + LEECHERS + " leechers to announce", ANNOUNCE_TIMEOUT,
                () -> tracker.scrape(infoHash).incomplete() >= LEECHERS, this::describeSwarm);

        // The seed's first announce lists the five, and it dials them: they start downloading together.
        long started = System.nanoTime();
        seeder = new JtorrentSeeder(dir.resolve("jtorrent-seed"), List.of("--upload-limit", SEED_UPLOAD_LIMIT));
        seeder.start(torrent, content.getParent(), SEED_IP, Loopback.freePort(SEED_IP));

        long deadline = started + SWARM_TIMEOUT.toNanos();
        for (int i = 0; i < jtorrents.size(); i++) {
            String ip = JTORRENT_LEECHER_IPS.get(i);
            try {
                jtorrents.get(i).await(left(deadline));
            } catch (AssertionError e) {
                throw new AssertionError("jtorrent on " + ip + " did not finish: " + e.getMessage() + "\n"
                        + describeSwarm(), e);
            }
            SameContent.assertIdentical(content, leecherDir(ip).resolve(content.getFileName()), "jtorrent on " + ip);
        }
        try {
            libtorrent.awaitComplete(left(deadline));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + describeSwarm(), e);
        }
        SameContent.assertIdentical(content, leecherDir(LIBTORRENT_IP).resolve(content.getFileName()),
                "libtorrent on " + LIBTORRENT_IP);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        seeder.requireAlive();

        double seederCopies = seeder.stopAndReadRatio();
        Map<String, Map<String, Long>> jtorrentSources = new TreeMap<>();
        long betweenJtorrents = 0;
        for (int i = 0; i < jtorrents.size(); i++) {
            Map<String, Long> received = jtorrents.get(i).receivedFrom();
            jtorrentSources.put(JTORRENT_LEECHER_IPS.get(i), received);
            betweenJtorrents += received.entrySet().stream().filter(e -> JTORRENT_LEECHER_IPS.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }
        double jtorrentCopies = (double) betweenJtorrents / SIZE;
        System.out.printf("a swarm of jtorrent seed, %d jtorrent leechers and libtorrent shared %d bytes in %d ms:"
                + " the seeder uploaded %.2f copies, the jtorrent leechers %.2f copies to each other;"
                + " bytes each jtorrent leecher received from each peer: %s; libtorrent's blocks came from %s%n",
                jtorrents.size(), SIZE, took.toMillis(), seederCopies, jtorrentCopies, jtorrentSources,
                libtorrent.blocksFrom());
        assertThat(seederCopies)
                .as("copies of the content jtorrent seed uploaded to %d leechers (%d would mean they traded nothing)",
                        LEECHERS, LEECHERS)
                .isLessThan(MAX_SEEDER_COPIES);
        assertThat(jtorrentCopies)
                .as("copies the jtorrent leechers sent each other; bytes each received from each peer: %s",
                        jtorrentSources)
                .isGreaterThanOrEqualTo(MIN_COPIES_BETWEEN_JTORRENTS);
    }

    private Path leecherDir(String ip) {
        return dir.resolve("leecher-" + ip);
    }

    /** What is left until {@code deadline}, at least a second so the last wait still looks once. */
    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime()));
    }

    private String describeSwarm() {
        StringBuilder text = new StringBuilder(seeder == null ? "--- jtorrent seed (not started)\n"
                : seeder.describe());
        for (JtorrentLeecher.Running jtorrent : jtorrents) {
            text.append(jtorrent.describe());
        }
        if (libtorrent != null) {
            text.append(libtorrent.describe());
        }
        return text.append(tracker.describe()).toString();
    }

    /** Kills every leecher, the seed and the tracker, each even when killing another failed. */
    @AfterEach
    void stopEveryProcess() {
        List<AutoCloseable> processes = new ArrayList<>(jtorrents);
        processes.add(libtorrent);
        processes.add(seeder);
        processes.add(tracker);
        Harness.closeAll(processes);
    }
}
