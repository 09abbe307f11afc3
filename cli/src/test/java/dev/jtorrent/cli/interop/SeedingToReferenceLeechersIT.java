package dev.jtorrent.cli.interop;

import dev.jtorrent.metainfo.InfoHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeding milestone's acceptance test: {@code jtorrent seed} serves a torrent made by {@code jtorrent create} to
 * each reference client (libtorrent, aria2, Transmission, qBittorrent, rtorrent), found through opentracker announced
 * over HTTP and over UDP, and the client's copy is bit-exact. Each client downloads a single-file torrent over one
 * announce protocol and a multi-file one over the other, so every client gets both shapes and both protocols.
 *
 * <p>Order: the seed starts first and the leecher finds it through the tracker and dials it, except for Transmission,
 * which never dials loopback peers a tracker lists ({@link LeecherClient#dialsLoopbackPeers}): it starts first and
 * announces, so the seed's first announce lists it and the seed dials it.
 */
class SeedingToReferenceLeechersIT {

    private static final String SEED_IP = "127.0.0.7";
    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ANNOUNCED_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Opentracker tracker;
    private JtorrentSeeder seeder;
    private ReferenceLeecher leecher;

    /** The torrent's shape: one file, or the awkward tree of {@link Swarm#content}. */
    enum Shape {
        SINGLE_FILE(parent -> SampleContent.file(parent, "single.bin", 3_000_017, 11)),
        MULTI_FILE(Swarm::content);

        private final Function<Path, Path> maker;

        Shape(Function<Path, Path> maker) {
            this.maker = maker;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Every client over both protocols; the shape alternates so each client gets both. */
    static Stream<Arguments> leechersAnnouncesAndShapes() {
        List<Arguments> cases = new ArrayList<>();
        for (LeecherClient client : LeecherClient.values()) {
            boolean even = client.ordinal() % 2 == 0;
            cases.add(Arguments.of(client, Announce.HTTP, even ? Shape.SINGLE_FILE : Shape.MULTI_FILE));
            cases.add(Arguments.of(client, Announce.UDP, even ? Shape.MULTI_FILE : Shape.SINGLE_FILE));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} downloads a {2} torrent from jtorrent, announced over {1}")
    @MethodSource("leechersAnnouncesAndShapes")
    @Timeout(300) // a backstop only: every wait has its own, shorter limit and a clearer message
    void referenceClientDownloadsBitExactFromJtorrent(LeecherClient client, Announce announce, Shape shape) {
        Path content = shape.maker.apply(dir.resolve("seed"));
        tracker = Opentracker.onFreePort();
        Path torrent = JtorrentCli.fromBuild().create(content, dir.resolve("shared.torrent"),
                List.of("--piece-size", Swarm.PIECE_SIZE, "-t", announce.url(tracker)));
        InfoHash infoHash = Harness.infoHashOf(torrent);
        tracker.start(dir.resolve("tracker"), List.of(infoHash));
        seeder = new JtorrentSeeder(dir.resolve("jtorrent-seed"));
        leecher = client.create();
        Path into = dir.resolve("leecher");

        if (client.dialsLoopbackPeers()) {
            startSeed(torrent, content, infoHash);
            leecher.start(torrent, into, client.ip(), Loopback.freePort(client.ip()));
        } else {
            leecher.start(torrent, into, client.ip(), Loopback.freePort(client.ip()));
            Await.untilTrue(client + " announced to the tracker as a leecher", ANNOUNCED_TIMEOUT,
                    () -> tracker.scrape(infoHash).incomplete() >= 1, () -> leecher.describe() + tracker.describe());
            startSeed(torrent, content, infoHash);
        }

        Duration took;
        try {
            took = leecher.awaitComplete(DOWNLOAD_TIMEOUT);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(client + " did not download the " + shape + " torrent from jtorrent over "
                    + announce + ": " + e.getMessage() + "\n" + seeder.describe() + tracker.describe(), e);
        }
        SameContent.assertIdentical(content, into.resolve(content.getFileName()),
                client + " from jtorrent over " + announce, leecher.createsEmptyFiles());
        seeder.requireAlive();
        System.out.printf("%s downloaded the %s torrent from jtorrent over %s in %d ms%n", client, shape, announce,
                took.toMillis());
    }

    /** Starts jtorrent seeding on {@link #SEED_IP}; returns once the tracker lists it as a seed. */
    private void startSeed(Path torrent, Path content, InfoHash infoHash) {
        seeder.start(torrent, content.getParent(), SEED_IP, Loopback.freePort(SEED_IP));
        tracker.awaitSeeds(infoHash, 1, SEED_TIMEOUT, seeder::describe);
    }

    /** Kills the leecher, the seed and the tracker, each even when killing another failed. */
    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(java.util.Arrays.asList(leecher, seeder, tracker));
    }
}
