package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.Torrent;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * jtorrent given a magnet link alone gets the info dictionary from a reference client over ut_metadata (BEP 9), the
 * opposite direction of {@link MagnetFromJtorrentIT}: {@code jtorrent download MAGNET --save-torrent F} downloads the
 * content bit-exact and writes F with the original info dictionary, byte for byte; {@code jtorrent metadata MAGNET
 * -o F} writes the same and downloads nothing. The link names its peer either directly ({@code x.pe}) or through a
 * tracker ({@code tr}) that is the only place the seeder is listed; the seeder's torrent names no tracker in the
 * first case, and jtorrent has no DHT, so each link's one source is the one the test means.
 *
 * <p>The torrents have 16 KiB pieces, so that the info dictionary (32,000 bytes of piece hashes) spans two 16 KiB
 * metadata pieces and the last, shorter one is fetched too. Each jtorrent run gets a resume directory of its own:
 * the default one keeps fetched metadata, and a second run would otherwise not fetch it at all.
 */
class MagnetToJtorrentIT {

    private static final String SEED_IP = "127.0.0.56";
    private static final String JTORRENT_IP = "127.0.0.57";
    private static final String ARIA2_IP = "127.0.0.58";
    private static final int PIECE_SIZE = 16 * 1024;
    /** 1,600 pieces of 16 KiB: 32,000 bytes of piece hashes, an info dictionary of two metadata pieces. */
    private static final long CONTENT_SIZE = 1_600L * PIECE_SIZE;
    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(30);
    /** From jtorrent's start (the JVM's start-up included) until it has exited with everything on disk. */
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(120) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void downloadFromALibtorrentSeedTheLinkNames() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "by-address.bin", CONTENT_SIZE, 56);
        Path torrent = dir.resolve("by-address.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        int seedPort = Loopback.freePort(SEED_IP);
        LibtorrentClient seed = libtorrentSeed(torrent, content, seedPort);

        String magnet = magnet(torrent) + "&x.pe=" + SEED_IP + ":" + seedPort;
        downloadBitExact(libtorrent, magnet, content, torrent, seed::describe);
        assertAllUploadedBy(seed);
    }

    @ParameterizedTest(name = "announced over {0}")
    @EnumSource(Announce.class)
    @Timeout(120) // a backstop only, as above
    void downloadFromALibtorrentSeedTheLinksTrackerLists(Announce announce) throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Opentracker tracker = Opentracker.onFreePort();
        started.add(tracker);
        Path content = SampleContent.file(dir.resolve("seed"), "by-tracker-" + announce + ".bin", CONTENT_SIZE,
                announce.ordinal() + 57);
        Path torrent = dir.resolve("by-tracker.torrent");
        // The seeder learns the tracker from its .torrent; the info hash does not depend on it.
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of(announce.url(tracker)));
        InfoHash infoHash = Harness.infoHashOf(torrent);
        tracker.start(dir.resolve("tracker"), List.of(infoHash));
        LibtorrentClient seed = libtorrentSeed(torrent, content, Loopback.freePort(SEED_IP));
        tracker.awaitSeeds(infoHash, 1, SEED_TIMEOUT, seed::describe);

        String magnet = magnet(torrent) + "&tr=" + URLEncoder.encode(announce.url(tracker), StandardCharsets.UTF_8);
        downloadBitExact(libtorrent, magnet, content, torrent, () -> seed.describe() + tracker.describe());
        assertAllUploadedBy(seed);
    }

    @Test
    @Timeout(120) // a backstop only, as above
    void metadataFromALibtorrentSeedAndNothingElse() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "metadata-only.bin", CONTENT_SIZE, 59);
        Path torrent = dir.resolve("metadata-only.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        int seedPort = Loopback.freePort(SEED_IP);
        LibtorrentClient seed = libtorrentSeed(torrent, content, seedPort);

        String magnet = magnet(torrent) + "&x.pe=" + SEED_IP + ":" + seedPort;
        fetchMetadataOnly(libtorrent, magnet, content, torrent, seed);

        // libtorrent counts piece data as payload, ut_metadata messages not: wait until jtorrent's connection is
        // gone, so the count is final, and require that no byte of the content went out.
        Await.untilTrue("libtorrent to see jtorrent disconnect", Duration.ofSeconds(10),
                () -> Files.readString(seed.process.log()).contains("peer_disconnected_alert"), seed::describe);
        Thread.sleep(200); // the script prints the count at most every 50 ms
        assertThat(seed.uploaded()).as("payload bytes libtorrent uploaded to jtorrent metadata\n%s", seed.describe())
                .isZero();
    }

    @Test
    @Timeout(120) // a backstop only, as above
    void metadataFromAnAria2SeedTheLinkNames() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "from-aria2.bin", CONTENT_SIZE, 60);
        Path torrent = dir.resolve("from-aria2.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        int seedPort = Loopback.freePort(ARIA2_IP);
        Aria2Client aria2 = new Aria2Client(ReferenceClient.Role.SEED);
        started.add(aria2);
        aria2.start(torrent, content.getParent(), ARIA2_IP, seedPort);
        // aria2 listens once it has checked the data (--check-integrity), and then serves the metadata too.
        Loopback.awaitAccepting("aria2", ARIA2_IP, seedPort, SEED_TIMEOUT, aria2::describe);

        String magnet = magnet(torrent) + "&x.pe=" + ARIA2_IP + ":" + seedPort;
        fetchMetadataOnly(libtorrent, magnet, content, torrent, aria2);
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }

    /** A libtorrent seeder of the content on {@link #SEED_IP}, holding all of it; closed after the test. */
    private LibtorrentClient libtorrentSeed(Path torrent, Path content, int port) {
        LibtorrentClient seed = new LibtorrentClient(ReferenceClient.Role.SEED);
        started.add(seed);
        seed.start(torrent, content.getParent(), SEED_IP, port);
        return seed;
    }

    /** The magnet link of the torrent with its v1 info hash and nothing else. */
    private static String magnet(Path torrent) {
        return "magnet:?xt=urn:btih:" + Harness.infoHashOf(torrent).hex();
    }

    /**
     * {@code jtorrent download MAGNET --save-torrent F}, which must exit 0 with the content bit-exact, and F the
     * original info dictionary.
     */
    private void downloadBitExact(Libtorrent libtorrent, String magnet, Path content, Path original,
            Supplier<String> context) {
        Path into = dir.resolve("jtorrent");
        Path saved = dir.resolve("saved.torrent");
        JtorrentLeecher.Running jtorrent = new JtorrentLeecher().start(magnet, into, JTORRENT_IP,
                Loopback.freePort(JTORRENT_IP), List.of("--save-torrent", saved.toString(),
                        "--resume-dir", dir.resolve("resume").toString()));
        started.add(jtorrent);
        Leecher.Download download;
        try {
            download = jtorrent.await(DOWNLOAD_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError("jtorrent did not download " + magnet + ": " + e.getMessage() + "\n"
                    + context.get(), e);
        }
        String what = "jtorrent download " + magnet;
        assertThat(jtorrent.connectedPeers()).as("the peers %s connected to\n%s", what, jtorrent.describe())
                .containsExactly(SEED_IP);
        SameContent.assertIdentical(content, into.resolve(content.getFileName()), what);
        assertSameInfoDictionary(libtorrent, original, saved, what + " --save-torrent\n" + jtorrent.describe());
        System.out.printf("jtorrent download %s: metadata and content in %d ms (JVM start included)%n", magnet,
                download.elapsed().toMillis());
    }

    /**
     * Fails unless libtorrent counts the whole content as uploaded: the payload counter {@link
     * #metadataFromALibtorrentSeedAndNothingElse} requires to stay at 0 does count a download from it.
     */
    private static void assertAllUploadedBy(LibtorrentClient seed) {
        Await.untilTrue("libtorrent to count the whole content as uploaded", Duration.ofSeconds(5),
                () -> seed.uploaded() >= CONTENT_SIZE, seed::describe);
    }

    /**
     * {@code jtorrent metadata MAGNET -o F}, run in an empty directory, which must exit 0 with F holding the original
     * info dictionary and nothing else written there (the command has no download directory; where it would put
     * data, a temporary directory, it removes as it ends, and fails if that is not empty).
     */
    private void fetchMetadataOnly(Libtorrent libtorrent, String magnet, Path content, Path original, Seeder seed)
            throws IOException {
        Path work = Files.createDirectories(dir.resolve("metadata-work"));
        Path out = work.resolve("fetched.torrent");
        List<String> command = JtorrentCli.fromBuild().command(List.of("metadata", magnet, "-o", out.toString(),
                "--bind", JTORRENT_IP, "--port", Integer.toString(Loopback.freePort(JTORRENT_IP)),
                "--resume-dir", dir.resolve("resume").toString()));
        long begun = System.nanoTime();
        ExternalProcess.Result result;
        try {
            result = ExternalProcess.of(METADATA_TIMEOUT, command).inDirectory(work).run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + seed.describe(), e);
        }
        long millis = Duration.ofNanos(System.nanoTime() - begun).toMillis();
        String context = result.describe() + seed.describe();
        assertThat(result.exitCode()).as("exit code of jtorrent metadata\n%s", context).isZero();
        assertThat(result.stdout()).as(context).contains("Saved the metadata of " + content.getFileName());
        assertSameInfoDictionary(libtorrent, original, out, "jtorrent metadata " + magnet + "\n" + context);
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(work::relativize).map(Path::toString).toList())
                    .as("what jtorrent metadata wrote in its directory").containsExactly("fetched.torrent");
        }
        System.out.printf("jtorrent metadata %s from %s: %d ms (JVM start included)%n", magnet, seed.name(), millis);
    }

    /**
     * Fails unless {@code saved} holds the info dictionary of {@code original} byte for byte (so the same info hash),
     * read by jtorrent, and libtorrent reads it as a torrent of that info hash too.
     */
    private static void assertSameInfoDictionary(Libtorrent libtorrent, Path original, Path saved, String context) {
        assertThat(saved).as("the .torrent file written by %s", context).isNotEmptyFile();
        Torrent want = load(original);
        assertThat(want.infoBytes().length).as("size of the original info dictionary: more than one 16 KiB "
                + "metadata piece").isGreaterThan(16 * 1024);
        Torrent got = load(saved);
        assertThat(got.infoHash()).as("info hash of the .torrent written by %s", context).isEqualTo(want.infoHash());
        assertThat(got.infoBytes()).as("info dictionary written by %s, byte for byte", context)
                .isEqualTo(want.infoBytes());
        assertThat(libtorrent.describe(saved).summary().infoHash())
                .as("info hash libtorrent reads from the .torrent written by %s", context)
                .isEqualTo(want.infoHash().hex());
    }

    private static Torrent load(Path torrent) {
        try {
            return Torrent.load(torrent);
        } catch (IOException | InvalidTorrentException e) {
            throw new AssertionError("cannot read " + torrent, e);
        }
    }
}
