package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.InfoHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare magnet link ({@code magnet:?xt=urn:btih:HEX}: no tracker, no peer address) through the CLI, with the DHT
 * (BEP 5) as the only way to find a peer: LSD is off, the torrents name no tracker, and the swarm is a small private
 * DHT of libtorrent sessions on loopback ({@link LibtorrentDht}), each in a /24 of its own. jtorrent is given one
 * of those sessions with {@code --dht-bootstrap}, a router that it never puts in its routing table. Both ways:
 * jtorrent finds a libtorrent seeder in that DHT and downloads from it, metadata (BEP 9) and data; and a libtorrent
 * leecher, given one DHT node of the swarm, finds a jtorrent seed through the DHT, gets the metadata from it and
 * downloads. And aria2 as a second DHT implementation: an aria2 seed joins that DHT through one libtorrent node and
 * announces itself there, and jtorrent, whose one way into the DHT is aria2's node, finds it and downloads from it.
 * Each download is bit-exact. A seed's announce is in the DHT (a libtorrent lookup returns it) before the other side
 * starts looking, so that its first lookup can find it: jtorrent looks a magnet's peers up once a minute.
 */
class DhtMagnetIT {
    private static final int NODES = 5;
    private static final long CONTENT_SIZE = 4 * 1024 * SampleContent.KIB;
    private static final int PIECE_SIZE = 16 * 1024;
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(45);
    /** An info hash no one has: the other half of {@link LibtorrentDht}'s pair, unused by the test that seeds. */
    private static final InfoHash NOBODYS = InfoHash.fromHex("3333333333333333333333333333333333333333");
    /**
     * The time stamp of jtorrent's debug line of a swarm's connection whose handshakes completed. jtorrent logs no
     * line for the connections that fetch the metadata: this is the first one after it, for the data.
     */
    private static final Pattern CONNECTED = Pattern.compile(
            "(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+: connected \\(");
    /** The time stamp of jtorrent's debug line of the torrent's start, once it has the metadata. */
    private static final Pattern STARTED = Pattern.compile(
            "(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .* pieces on disk at the start");

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(180) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void jtorrentDownloadsABareMagnetFromALibtorrentSeederFoundOnTheDht() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "dht-magnet.bin", CONTENT_SIZE, 70);
        Path torrent = dir.resolve("dht-magnet.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        InfoHash infoHash = Harness.infoHashOf(torrent);
        // Session 1 (127.0.71.1) seeds and announces itself every 3 s.
        LibtorrentDht swarm = LibtorrentDht.startSeeding(libtorrent, dir, 70, NODES, torrent, content.getParent(),
                infoHash, DOWNLOAD_TIMEOUT.multipliedBy(3));
        started.add(swarm);
        // Session 2 looks the hash up too: the seeder's announce is in the DHT before jtorrent starts.
        swarm.awaitFound(swarm.ip(1), swarm.port(1), ANNOUNCE_TIMEOUT);

        String magnet = "magnet:?xt=urn:btih:" + infoHash.hex();
        Path into = dir.resolve("jtorrent");
        LocalTime begun = LocalTime.now();
        JtorrentLeecher.Running jtorrent = new JtorrentLeecher().start(magnet, into, "127.0.50.1",
                Loopback.freePort("127.0.50.1"), List.of("--dht-bootstrap", swarm.hostPort(3), "--no-lsd",
                        "--resume-dir", dir.resolve("resume").toString()));
        started.add(jtorrent);
        Leecher.Download download;
        try {
            download = jtorrent.await(DOWNLOAD_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + swarm.describe(), e);
        }
        String what = "jtorrent download " + magnet + "\n" + jtorrent.describe();
        assertThat(jtorrent.connectedPeers()).as("the peers of %s", what).containsExactly(swarm.ip(1));
        SameContent.assertIdentical(content, into.resolve(content.getFileName()), what);
        System.out.println("DHT magnet, jtorrent from libtorrent: " + jtorrentTimes(jtorrent.log(), begun, download));
    }

    @Test
    @Timeout(180) // a backstop only, as above
    void libtorrentWithABareMagnetFindsAJtorrentSeedOnTheDhtAndDownloadsFromIt() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "dht-seed.bin", CONTENT_SIZE, 75);
        Path torrent = dir.resolve("dht-seed.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        InfoHash infoHash = Harness.infoHashOf(torrent);
        // Session 2 (127.0.77.1) looks the hash up every 3 s and tells when jtorrent's announce is there.
        LibtorrentDht swarm = LibtorrentDht.start(libtorrent, dir, 75, NODES, NOBODYS, infoHash,
                DOWNLOAD_TIMEOUT.multipliedBy(3));
        started.add(swarm);

        String seedIp = "127.0.51.1";
        int seedPort = Loopback.freePort(seedIp);
        JtorrentSeeder seeder = new JtorrentSeeder(dir, List.of("--dht-bootstrap", swarm.hostPort(0), "--no-lsd",
                "--resume-dir", dir.resolve("resume").toString()));
        started.add(seeder);
        long seedStarted = System.nanoTime();
        seeder.start(torrent, content.getParent(), seedIp, seedPort);
        double seedingSeconds = (System.nanoTime() - seedStarted) / 1e9;
        // jtorrent announces once its node has bootstrapped: wait until a libtorrent lookup returns it, so that
        // the leecher's first lookup can find it.
        try {
            swarm.awaitFound(seedIp, seedPort, ANNOUNCE_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + seeder.describe(), e);
        }
        double announcedSeconds = (System.nanoTime() - seedStarted) / 1e9;

        String leecherIp = "127.0.52.1";
        Path downloads = Files.createDirectories(dir.resolve("leecher"));
        String magnet = "magnet:?xt=urn:btih:" + infoHash.hex();
        ExternalProcess.Result run = ExternalProcess.of(DOWNLOAD_TIMEOUT.plusSeconds(30), List.of(
                libtorrent.python().toString(), "-", magnet, downloads.toString(), leecherIp,
                Integer.toString(Loopback.freePort(leecherIp)), swarm.ip(3), Integer.toString(swarm.port(3)),
                Long.toString(DOWNLOAD_TIMEOUT.toSeconds()), "dht"))
                .withInput(Libtorrent.resource("libtorrent-magnet.py")).run().requireSuccess();
        Map<String, Object> result = JsonReader.readObject(run.stdout().strip());

        String context = run.describe() + "\n" + seeder.describe() + swarm.describe();
        assertThat(result.get("metadata")).as("libtorrent got the metadata\n%s", context).isEqualTo(true);
        assertThat(result.get("complete")).as("libtorrent completed the download\n%s", context).isEqualTo(true);
        assertThat(result.get("peers")).as("libtorrent's peers, and whether the DHT gave them\n%s", context)
                .isEqualTo(Map.of(seedIp + ":" + seedPort, true));
        SameContent.assertIdentical(content, downloads.resolve(content.getFileName()), context);
        System.out.printf("DHT magnet, libtorrent from jtorrent: jtorrent seeding %.3f s and its announce found %.3f s"
                + " after it started (JVM start included); libtorrent's first peer %.3f s, metadata %.3f s,"
                + " content %.3f s after the magnet was added%n", seedingSeconds, announcedSeconds,
                number(result, "firstPeerSeconds"), number(result, "metadataSeconds"), number(result, "seconds"));
        seeder.requireAlive();
    }

    @Test
    @Timeout(180) // a backstop only, as above
    void jtorrentDownloadsABareMagnetFromAnAria2SeederFoundOnTheDht() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "dht-aria2.bin", CONTENT_SIZE, 80);
        Path torrent = dir.resolve("dht-aria2.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        InfoHash infoHash = Harness.infoHashOf(torrent);
        // Session 2 (127.0.82.1) looks the hash up every 3 s and tells when aria2's announce is there.
        LibtorrentDht swarm = LibtorrentDht.start(libtorrent, dir, 80, NODES, NOBODYS, infoHash,
                DOWNLOAD_TIMEOUT.multipliedBy(3));
        started.add(swarm);

        String seedIp = "127.0.53.1";
        int seedPort = Loopback.freePort(seedIp);
        int seedDhtPort = Loopback.freePort(seedIp);
        Aria2Client aria2 = new Aria2Client(ReferenceClient.Role.SEED).withDht(seedDhtPort, swarm.hostPort(3));
        started.add(aria2);
        long seedStarted = System.nanoTime();
        aria2.start(torrent, content.getParent(), seedIp, seedPort);
        // aria2 listens once it has checked the data (--check-integrity), and announces on the DHT then.
        Loopback.awaitAccepting("aria2", seedIp, seedPort, ANNOUNCE_TIMEOUT, aria2::describe);
        try {
            swarm.awaitFound(seedIp, seedPort, ANNOUNCE_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + aria2.describe(), e);
        }
        double announcedSeconds = (System.nanoTime() - seedStarted) / 1e9;

        // jtorrent's one way into the DHT is aria2's node.
        String magnet = "magnet:?xt=urn:btih:" + infoHash.hex();
        Path into = dir.resolve("jtorrent");
        LocalTime begun = LocalTime.now();
        JtorrentLeecher.Running jtorrent = new JtorrentLeecher().start(magnet, into, "127.0.50.1",
                Loopback.freePort("127.0.50.1"), List.of("--dht-bootstrap", seedIp + ":" + seedDhtPort, "--no-lsd",
                        "--resume-dir", dir.resolve("resume").toString()));
        started.add(jtorrent);
        Leecher.Download download;
        try {
            download = jtorrent.await(DOWNLOAD_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + aria2.describe() + swarm.describe(), e);
        }
        String what = "jtorrent download " + magnet + "\n" + jtorrent.describe() + aria2.describe();
        assertThat(jtorrent.connectedPeers()).as("the peers of %s", what).containsExactly(seedIp);
        SameContent.assertIdentical(content, into.resolve(content.getFileName()), what);
        assertThat(Files.readString(aria2.detailLog()).lines().filter(line -> line.contains("dht query")
                && line.contains("Remote:127.0.50.1("))).as("DHT queries aria2 had from jtorrent\n%s", what)
                .isNotEmpty();
        System.out.printf("DHT magnet, jtorrent from aria2: aria2's announce found %.3f s after aria2 started; %s%n",
                announcedSeconds, jtorrentTimes(jtorrent.log(), begun, download));
    }

    /** How long jtorrent took, from its log, to get the metadata and to connect for the data; for the report. */
    private static String jtorrentTimes(String log, LocalTime begun, Leecher.Download download) {
        return String.format("jtorrent had the metadata %.3f s, its first data connection %.3f s, all of it %.3f s"
                + " after it started (JVM start and exit included)", secondsTo(STARTED, log, begun),
                secondsTo(CONNECTED, log, begun), download.elapsed().toMillis() / 1e3);
    }

    /** Seconds from {@code begun} to the time stamp of the first line {@code line} matches; NaN if none does. */
    private static double secondsTo(Pattern line, String log, LocalTime begun) {
        Matcher matcher = line.matcher(log);
        if (!matcher.find()) {
            return Double.NaN;
        }
        return begun.until(LocalTime.parse(matcher.group(1)), ChronoUnit.MILLIS) / 1e3;
    }

    private static double number(Map<String, Object> result, String key) {
        return result.get(key) instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    @AfterEach
    void stopEverything() {
        Harness.closeAll(started);
    }
}
