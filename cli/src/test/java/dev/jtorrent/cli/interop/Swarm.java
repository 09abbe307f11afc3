package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.InfoHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One torrent on loopback: sample content, a torrent of it made by {@code jtorrent create} that announces to a fresh
 * opentracker over HTTP or UDP, and one or more reference clients seeding it; then any {@link Leecher} downloads from it and
 * the result is compared byte for byte.
 *
 * <p>Build it in a test and close it in {@code @AfterEach}: {@link #close()} kills whatever {@link #seed()} got to
 * start, even when the start failed half-way. A fresh tracker per swarm matters: opentracker remembers peers for
 * its whole announce interval, so a reused one would hand out seeders of earlier tests and a test could pass on
 * another client's upload.
 */
final class Swarm implements AutoCloseable {

    /** Small pieces, so blocks and pieces cross file boundaries and the last piece is short. */
    static final String PIECE_SIZE = "32KiB";

    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final List<SeederClient> clients;
    private final List<Seeder> seeders;
    private final Announce announce;
    private final Function<Path, Path> contentMaker;
    private final String pieceSize;
    private final List<String> trackersBefore;
    private final Opentracker tracker;
    private Path content;
    private Path torrent;
    private InfoHash infoHash;

    /** One {@code client} seeding the {@link #content} tree in {@link #PIECE_SIZE} pieces. */
    Swarm(Path dir, SeederClient client, Announce announce) {
        this(dir, List.of(client), announce, Swarm::content, PIECE_SIZE, List.of(), 0);
    }

    /**
     * Several {@code clients} seeding at once, each on its own address.
     *
     * @param contentMaker makes the content in the directory it is given and returns its root (a file or directory)
     * @param pieceSize as {@code jtorrent create --piece-size} takes it
     * @param trackersBefore tracker tiers (each a {@code -t} value) listed before the tier of this swarm's tracker
     * @param uploadLimit bytes a second each seeder may upload, 0 for no limit (only clients that take a limit)
     */
    Swarm(Path dir, List<SeederClient> clients, Announce announce, Function<Path, Path> contentMaker,
            String pieceSize, List<String> trackersBefore, long uploadLimit) {
        this.dir = dir;
        this.clients = List.copyOf(clients);
        this.announce = announce;
        this.contentMaker = contentMaker;
        this.pieceSize = pieceSize;
        this.trackersBefore = List.copyOf(trackersBefore);
        this.seeders = new ArrayList<>();
        for (SeederClient client : clients) {
            Seeder seeder = client.create();
            seeders.add(uploadLimit > 0 ? seeder.withUploadLimit(uploadLimit) : seeder);
        }
        this.tracker = Opentracker.onFreePort();
    }

    /**
     * Makes the content and the torrent, starts the tracker and the seeders, and returns once the tracker lists
     * every seeder as a seed.
     */
    Swarm seed() {
        content = contentMaker.apply(dir.resolve("seed"));
        List<String> options = new ArrayList<>(List.of("--piece-size", pieceSize));
        for (String tier : trackersBefore) {
            options.addAll(List.of("-t", tier));
        }
        options.addAll(List.of("-t", announce.url(tracker)));
        torrent = JtorrentCli.fromBuild().create(content, dir.resolve("shared.torrent"), options);
        infoHash = Harness.infoHashOf(torrent);
        tracker.start(dir.resolve("tracker"), List.of(infoHash));
        for (int i = 0; i < seeders.size(); i++) {
            String ip = clients.get(i).ip();
            seeders.get(i).start(torrent, content.getParent(), ip, Loopback.freePort(ip));
        }
        tracker.awaitSeeds(infoHash, seeders.size(), SEED_TIMEOUT, this::describeSeeders);
        return this;
    }

    /**
     * A tree of about 3.6 MB with every awkward case of piece and block layout: an empty file, files smaller than a
     * 16 KiB block, one of exactly 16 KiB, blocks spanning files, and a short last piece.
     */
    static Path content(Path parent) {
        Path root = SampleContent.tree(parent, "shared");
        SampleContent.file(root, "media/large.bin", 2_500_009, 8);
        return root;
    }

    /**
     * Lets {@code leecher} download on {@code ip} into {@code into}, and checks the result is bit-exact. Fails with
     * the seeder's and the tracker's last log lines as well as the leecher's when the download does not complete.
     */
    Leecher.Download download(Leecher leecher, String ip, Path into, Duration timeout) {
        Leecher.Download download;
        try {
            download = leecher.download(torrent, into, ip, Loopback.freePort(ip), timeout);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(leecher.name() + " did not download from " + seederNames() + " over "
                    + announce + ": " + e.getMessage() + "\n" + describe(), e);
        }
        SameContent.assertIdentical(content, into.resolve(content.getFileName()),
                leecher.name() + " from " + seederNames() + " over " + announce);
        return download;
    }

    /**
     * Fails unless every block the leecher reports came from this swarm's seeder; a leecher that does not report
     * where blocks came from (an empty map) is taken at its word, the tracker having listed this seeder alone.
     */
    void assertServedBySeeder(Leecher.Download download) {
        if (download.blocksFrom().isEmpty()) {
            return;
        }
        assertThat(download.blocksFrom().keySet()).as("addresses %s received blocks from, %s seeding on %s",
                download.blocksFrom(), seeders.get(0).name(), clients.get(0).ip()).containsExactly(clients.get(0).ip());
    }

    Path torrent() {
        return torrent;
    }

    Path content() {
        return content;
    }

    /** The first (or only) seeder. */
    Seeder seeder() {
        return seeders.get(0);
    }

    List<Seeder> seeders() {
        return List.copyOf(seeders);
    }

    InfoHash infoHash() {
        return infoHash;
    }

    private String seederNames() {
        return String.join(" + ", seeders.stream().map(Seeder::name).toList());
    }

    private String describeSeeders() {
        return String.join("", seeders.stream().map(Seeder::describe).toList());
    }

    Opentracker tracker() {
        return tracker;
    }

    /** The seeders' and the tracker's state and last log lines. */
    String describe() {
        return describeSeeders() + tracker.describe();
    }

    /** Kills every seeder and the tracker, even when closing one of them fails. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Seeder seeder : seeders) {
            try {
                seeder.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        try {
            tracker.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
