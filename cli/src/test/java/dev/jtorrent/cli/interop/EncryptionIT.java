package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.session.Encryption;
import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.SessionConfig;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol encryption (MSE/PE) between jtorrent and libtorrent on loopback, with no tracker: jtorrent with its
 * default policy downloads from a libtorrent seeder that forces encryption (RC4 only, and RC4 or plaintext), a
 * libtorrent leecher that forces it downloads from {@code jtorrent seed --encryption require}, and that seed closes
 * a plaintext handshake without a word; Transmission and qBittorrent, both requiring encryption, download from that
 * seed too, and jtorrent requiring it downloads from a Transmission seeder and a qBittorrent seeder that require it.
 * libtorrent's own report of each connection ("rc4", "plaintext_encrypted") is the judge: a forced libtorrent never
 * accepts a plaintext handshake (the shared recipes, section 6).
 */
class EncryptionIT {
    /** 8 MiB, downloaded at {@link SessionLeecher#LIMIT}: 4 s, so the connection is still there to be looked at. */
    private static final long CONTENT_SIZE = 8 * 1024 * SampleContent.KIB;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(180) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void jtorrentDownloadsFromALibtorrentSeederThatForcesRc4() throws Exception {
        downloadFromForcedSeeder("rc4", "127.0.0.81", "127.0.0.82", "rc4", true);
    }

    @Test
    @Timeout(180)
    void jtorrentDownloadsFromALibtorrentSeederThatForcesEncryptionOfEitherLevel() throws Exception {
        // offered both, libtorrent picks plaintext (its prefer_rc4 is off): the handshake alone is encrypted
        downloadFromForcedSeeder("both", "127.0.0.83", "127.0.0.84", "plaintext_encrypted", false);
    }

    @Test
    @Timeout(180)
    void aForcedLibtorrentLeecherDownloadsFromAJtorrentSeedThatRequiresEncryption() throws Exception {
        String seedIp = "127.0.0.85";
        String leechIp = "127.0.0.86";
        Path torrentFile = torrent(85);
        int seedPort = Loopback.freePort(seedIp);
        JtorrentSeeder seed = new JtorrentSeeder(dir.resolve("jtorrent"), List.of("--encryption", "require"));
        started.add(seed);
        seed.start(torrentFile, dir.resolve("seed"), seedIp, seedPort);

        LibtorrentClient leech = new LibtorrentClient(ReferenceClient.Role.LEECH)
                .withOptions("--connect", seedIp + ":" + seedPort, "--report-peers", "--enc", "forced");
        started.add(leech);
        leech.start(torrentFile, dir.resolve("leech"), leechIp, Loopback.freePort(leechIp));
        Map<String, Object> peer = leech.awaitPeer("its connection to jtorrent", p -> seedIp.equals(p.get("ip")),
                CONNECT_TIMEOUT);
        assertThat(peer.get("encryption")).as("libtorrent's view\n%s", seed.describe()).isEqualTo("rc4");
        leech.awaitComplete(DOWNLOAD_TIMEOUT);
        SameContent.assertIdentical(dir.resolve("seed").resolve("mse.bin"), dir.resolve("leech").resolve("mse.bin"),
                seed.describe());
    }

    @Test
    @Timeout(180)
    void aJtorrentSeedThatRequiresEncryptionClosesAPlaintextHandshakeWithoutAnswer() throws Exception {
        String seedIp = "127.0.0.87";
        Path torrentFile = torrent(87);
        int seedPort = Loopback.freePort(seedIp);
        JtorrentSeeder seed = new JtorrentSeeder(dir.resolve("jtorrent"), List.of("--encryption", "require"));
        started.add(seed);
        seed.start(torrentFile, dir.resolve("seed"), seedIp, seedPort);

        byte[] handshake = ByteBuffer.allocate(68).put((byte) 19)
                .put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII)).put(new byte[8])
                .put(Harness.infoHashOf(torrentFile).bytes())
                .put("-XX0000-plaintext!!!".getBytes(StandardCharsets.US_ASCII)).array();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(Loopback.address("127.0.0.88"), 0));
            socket.connect(new InetSocketAddress(Loopback.address(seedIp), seedPort), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(handshake);
            InputStream in = socket.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (SocketException reset) {
                first = -1; // closed with our bytes unread: a reset, which says the same
            }
            assertThat(first).as("closed with nothing sent back\n%s", seed.describe()).isEqualTo(-1);
        }
        seed.requireAlive();
    }

    /**
     * Transmission with encryption required downloads from {@code jtorrent seed --encryption require}: neither
     * accepts a plaintext peer, so the transfer is RC4 both ways. Transmission never dials a peer on 127/8 that a
     * tracker lists, so it announces first and the seed, whose announce lists it, dials it (as in
     * SeedingToReferenceLeechersIT).
     */
    @Test
    @Timeout(240)
    void transmissionRequiringEncryptionDownloadsFromAJtorrentSeedThatRequiresIt() throws Exception {
        String seedIp = "127.0.0.89";
        String leechIp = "127.0.0.90";
        Path content = SampleContent.file(dir.resolve("seed"), "mse.bin", CONTENT_SIZE, 89);
        Opentracker tracker = Opentracker.onFreePort();
        started.add(tracker);
        Path torrentFile = JtorrentCli.fromBuild().create(content, dir.resolve("mse.torrent"),
                List.of("-t", Announce.HTTP.url(tracker)));
        dev.jtorrent.metainfo.InfoHash infoHash = Harness.infoHashOf(torrentFile);
        tracker.start(dir.resolve("tracker"), List.of(infoHash));

        TransmissionClient leech = new TransmissionClient(ReferenceClient.Role.LEECH).withEncryptionRequired();
        started.add(leech);
        leech.start(torrentFile, dir.resolve("leech"), leechIp, Loopback.freePort(leechIp));
        Await.untilTrue("transmission to announce as a leecher", CONNECT_TIMEOUT,
                () -> tracker.scrape(infoHash).incomplete() >= 1, () -> leech.describe() + tracker.describe());
        JtorrentSeeder seed = new JtorrentSeeder(dir.resolve("jtorrent"), List.of("--encryption", "require"));
        started.add(seed);
        seed.start(torrentFile, content.getParent(), seedIp, Loopback.freePort(seedIp));

        leech.awaitComplete(DOWNLOAD_TIMEOUT);
        SameContent.assertIdentical(content, dir.resolve("leech").resolve("mse.bin"), seed.describe());
        seed.requireAlive();
    }

    /** qBittorrent with encryption required downloads from {@code jtorrent seed --encryption require}. */
    @Test
    @Timeout(240)
    void qbittorrentRequiringEncryptionDownloadsFromAJtorrentSeedThatRequiresIt() throws Exception {
        String seedIp = "127.0.0.91";
        String leechIp = "127.0.0.92";
        Path content = SampleContent.file(dir.resolve("seed"), "mse.bin", CONTENT_SIZE, 91);
        Opentracker tracker = Opentracker.onFreePort();
        started.add(tracker);
        Path torrentFile = JtorrentCli.fromBuild().create(content, dir.resolve("mse.torrent"),
                List.of("-t", Announce.HTTP.url(tracker)));
        tracker.start(dir.resolve("tracker"), List.of(Harness.infoHashOf(torrentFile)));
        JtorrentSeeder seed = new JtorrentSeeder(dir.resolve("jtorrent"), List.of("--encryption", "require"));
        started.add(seed);
        seed.start(torrentFile, content.getParent(), seedIp, Loopback.freePort(seedIp));
        tracker.awaitSeeds(Harness.infoHashOf(torrentFile), 1, CONNECT_TIMEOUT, seed::describe);

        QbittorrentClient leech = new QbittorrentClient(ReferenceClient.Role.LEECH).withEncryptionRequired();
        started.add(leech);
        leech.start(torrentFile, dir.resolve("leech"), leechIp, Loopback.freePort(leechIp));
        leech.awaitComplete(DOWNLOAD_TIMEOUT);
        SameContent.assertIdentical(content, dir.resolve("leech").resolve("mse.bin"), seed.describe());
        seed.requireAlive();
    }

    /**
     * The other way round: jtorrent, requiring encryption, downloads from a Transmission seeder that requires it
     * (Transmission takes connections from 127/8; it only never dials them).
     */
    @Test
    @Timeout(240)
    void jtorrentRequiringEncryptionDownloadsFromATransmissionSeederThatRequiresIt() throws Exception {
        downloadFromReferenceSeeder(new TransmissionClient(ReferenceClient.Role.SEED).withEncryptionRequired(),
                "127.0.0.93", "127.0.0.94", 93);
    }

    /** jtorrent, requiring encryption, downloads from a qBittorrent seeder that requires it. */
    @Test
    @Timeout(240)
    void jtorrentRequiringEncryptionDownloadsFromAQbittorrentSeederThatRequiresIt() throws Exception {
        downloadFromReferenceSeeder(new QbittorrentClient(ReferenceClient.Role.SEED).withEncryptionRequired(),
                "127.0.0.95", "127.0.0.96", 95);
    }

    private void downloadFromReferenceSeeder(ReferenceClient seed, String seedIp, String ourIp, long contentSeed)
            throws Exception {
        Path content = SampleContent.file(dir.resolve("seed"), "mse.bin", CONTENT_SIZE, contentSeed);
        Path torrentFile = dir.resolve("mse.torrent");
        Libtorrent.require().create(content, torrentFile, 0, Libtorrent.Layout.V1, List.of());
        int seedPort = Loopback.freePort(seedIp);
        started.add(seed);
        seed.start(torrentFile, content.getParent(), seedIp, seedPort);

        SessionLeecher jtorrent = SessionLeecher.start(SessionConfig.builder().encryption(Encryption.REQUIRE), ourIp,
                torrentFile, dir.resolve("jtorrent"), new InetSocketAddress(Loopback.address(seedIp), seedPort));
        started.add(jtorrent);
        PeerStatus seen = jtorrent.awaitPeer(seedIp, CONNECT_TIMEOUT, seed::describe);
        assertThat(seen.flags()).as("jtorrent's view: %s", seen).contains(PeerStatus.Flag.ENCRYPTED);
        jtorrent.awaitComplete(DOWNLOAD_TIMEOUT);
        SameContent.assertIdentical(content, jtorrent.downloads().resolve("mse.bin"), seed.describe());
    }

    private void downloadFromForcedSeeder(String level, String seedIp, String ourIp, String expected,
                                          boolean encrypted) throws Exception {
        Path torrentFile = torrent(seedIp.hashCode());
        int seedPort = Loopback.freePort(seedIp);
        LibtorrentClient seed = new LibtorrentClient(ReferenceClient.Role.SEED)
                .withOptions("--report-peers", "--enc", "forced", "--enc-level", level);
        started.add(seed);
        seed.start(torrentFile, dir.resolve("seed"), seedIp, seedPort);

        SessionLeecher jtorrent = SessionLeecher.start(SessionConfig.builder(), ourIp, torrentFile,
                dir.resolve("jtorrent"), new InetSocketAddress(Loopback.address(seedIp), seedPort));
        started.add(jtorrent);
        PeerStatus seen = jtorrent.awaitPeer(seedIp, CONNECT_TIMEOUT, seed::describe);
        assertThat(seen.flags().contains(PeerStatus.Flag.ENCRYPTED)).as("jtorrent's view: %s", seen)
                .isEqualTo(encrypted);
        Map<String, Object> peer = seed.awaitPeer("jtorrent's connection", p -> ourIp.equals(p.get("ip")),
                CONNECT_TIMEOUT);
        assertThat(peer.get("encryption")).as("libtorrent's view\n%s", seed.describe()).isEqualTo(expected);
        jtorrent.awaitComplete(DOWNLOAD_TIMEOUT);
        SameContent.assertIdentical(dir.resolve("seed").resolve("mse.bin"), jtorrent.downloads().resolve("mse.bin"),
                seed.describe());
    }

    /** 8 MiB of sample content in {@code dir/seed} and a v1 torrent of it made by libtorrent. */
    private Path torrent(long seed) throws Exception {
        Path content = SampleContent.file(dir.resolve("seed"), "mse.bin", CONTENT_SIZE, seed);
        Path torrentFile = dir.resolve("mse.torrent");
        Libtorrent.require().create(content, torrentFile, 0, Libtorrent.Layout.V1, List.of());
        return torrentFile;
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }
}
