package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.SessionConfig;
import java.net.InetSocketAddress;
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
 * Whole downloads over uTP, with TCP off on both sides: a jtorrent session from a libtorrent seeder and from a
 * qBittorrent seeder, a libtorrent
 * leecher from {@code jtorrent seed --transports utp} (both libtorrent peers with 4 MiB UDP buffers, as the shared
 * recipes advise: with its defaults libtorrent measures its own drops), and {@code jtorrent download --transports
 * utp} from that seed through a magnet link naming it ({@code x.pe}), metadata included.
 */
class UtpSessionIT {
    private static final long CONTENT_SIZE = 8 * 1024 * SampleContent.KIB;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(180) // a backstop only: every wait below has its own, shorter limit
    void aJtorrentSessionDownloadsFromALibtorrentSeederOverUtp() throws Exception {
        String seedIp = "127.0.73.2";
        String ourIp = "127.0.73.1";
        Path torrentFile = torrent(73);
        int seedPort = Loopback.freePort(seedIp);
        // --exit-on-finish: a seeder never finishes, and it keeps running though its stdin is closed
        BackgroundProcess seed = ltpeer("libtorrent-utp-seeder", seedIp, seedPort, "--seed", torrentFile.toString(),
                "--data", dir.resolve("seed").toString(), "--exit-on-finish");
        seed.awaitLineStartingWith("{\"event\": \"ready\"", WAIT);

        SessionLeecher jtorrent = SessionLeecher.start(SessionConfig.builder().tcp(false), ourIp, torrentFile,
                dir.resolve("jtorrent"), new InetSocketAddress(Loopback.address(seedIp), seedPort));
        started.add(jtorrent);
        PeerStatus seen = jtorrent.awaitPeer(seedIp, WAIT, seed::describe);
        assertThat(seen.flags()).as("jtorrent's view: %s", seen).contains(PeerStatus.Flag.UTP);
        jtorrent.awaitComplete(WAIT);
        SameContent.assertIdentical(dir.resolve("seed").resolve("utp.bin"), jtorrent.downloads().resolve("utp.bin"),
                seed.describe());
    }

    /**
     * qBittorrent 4.5.2 (libtorrent 2.0.8 inside) seeding over uTP alone ({@code Session\BTProtocol=UTP}), to a
     * jtorrent session with TCP off. The SYN jtorrent sends carries its datagram-size extension (74), which
     * libtorrent skips as it skips every extension it does not know, and answers.
     */
    @Test
    @Timeout(180)
    void aJtorrentSessionDownloadsFromAQbittorrentSeederOverUtp() throws Exception {
        String seedIp = "127.0.76.2";
        String ourIp = "127.0.76.1";
        Path torrentFile = torrent(76);
        int seedPort = Loopback.freePort(seedIp);
        QbittorrentClient seed = new QbittorrentClient(ReferenceClient.Role.SEED).overUtpOnly();
        started.add(seed);
        seed.start(torrentFile, dir.resolve("seed"), seedIp, seedPort);

        SessionLeecher jtorrent = SessionLeecher.start(SessionConfig.builder().tcp(false), ourIp, torrentFile,
                dir.resolve("jtorrent"), new InetSocketAddress(Loopback.address(seedIp), seedPort));
        started.add(jtorrent);
        PeerStatus seen = jtorrent.awaitPeer(seedIp, WAIT, seed::describe);
        assertThat(seen.flags()).as("jtorrent's view: %s", seen).contains(PeerStatus.Flag.UTP);
        jtorrent.awaitComplete(WAIT);
        SameContent.assertIdentical(dir.resolve("seed").resolve("utp.bin"), jtorrent.downloads().resolve("utp.bin"),
                seed.describe());
    }

    @Test
    @Timeout(180)
    void aLibtorrentLeecherDownloadsFromAJtorrentSeedOverUtp() throws Exception {
        String seedIp = "127.0.74.1";
        String leechIp = "127.0.74.2";
        Path torrentFile = torrent(74);
        int seedPort = Loopback.freePort(seedIp);
        JtorrentSeeder seed = new JtorrentSeeder(dir.resolve("jtorrent"), List.of("--transports", "utp"));
        started.add(seed);
        seed.start(torrentFile, dir.resolve("seed"), seedIp, seedPort);

        BackgroundProcess leech = ltpeer("libtorrent-utp-leecher", leechIp, Loopback.freePort(leechIp),
                "--torrent", torrentFile.toString(), "--save", dir.resolve("leech").toString(), "--exit-on-finish",
                "--connect", seedIp + ":" + seedPort);
        leech.awaitLineStartingWith("{\"event\": \"finished\"", WAIT);
        SameContent.assertIdentical(dir.resolve("seed").resolve("utp.bin"), dir.resolve("leech").resolve("utp.bin"),
                seed.describe());
        assertThat(Files.readString(leech.log())).as("libtorrent's connection to jtorrent")
                .contains("\"transport\": \"utp\"");
        seed.requireAlive();
    }

    @Test
    @Timeout(180)
    void jtorrentDownloadsAMagnetLinkFromAJtorrentSeedOverUtp() throws Exception {
        String seedIp = "127.0.75.1";
        String leechIp = "127.0.75.2";
        Path torrentFile = torrent(75);
        int seedPort = Loopback.freePort(seedIp);
        JtorrentSeeder seed = new JtorrentSeeder(dir.resolve("jtorrent"), List.of("--transports", "utp",
                "--resume-dir", dir.resolve("seed-resume").toString()));
        started.add(seed);
        seed.start(torrentFile, dir.resolve("seed"), seedIp, seedPort);

        String magnet = "magnet:?xt=urn:btih:" + Harness.infoHashOf(torrentFile).hex() + "&x.pe=" + seedIp + ":"
                + seedPort;
        ExternalProcess.Result download = JtorrentCli.fromBuild().run("download", magnet, "-d",
                dir.resolve("leech").toString(), "--bind", leechIp, "--port",
                Integer.toString(Loopback.freePort(leechIp)), "--transports", "utp", "--no-dht", "--no-lsd",
                "--resume-dir", dir.resolve("resume").toString(), "--verbose");
        assertThat(download.exitCode()).as("%s\n%s", download.describe(), seed.describe()).isZero();
        SameContent.assertIdentical(dir.resolve("seed").resolve("utp.bin"), dir.resolve("leech").resolve("utp.bin"),
                seed.describe());
    }

    /** ltpeer.py with TCP off and 4 MiB UDP buffers, and these options. */
    private BackgroundProcess ltpeer(String name, String ip, int port, String... options) throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path script = dir.resolve("ltpeer.py");
        if (!Files.exists(script)) {
            Files.writeString(script, Libtorrent.resource("ltpeer.py"));
        }
        List<String> command = new ArrayList<>(List.of(libtorrent.python().toString(), script.toString(), "--ip", ip,
                "--port", Integer.toString(port), "--transport", "utp", "--utp-buffers", "--max-seconds", "300"));
        command.addAll(List.of(options));
        BackgroundProcess process = BackgroundProcess.start(name, command, dir, Map.of("HOME", dir.toString()));
        started.add(process);
        return process;
    }

    /** 8 MiB of sample content in {@code dir/seed} and a v1 torrent of it made by libtorrent. */
    private Path torrent(long seed) throws Exception {
        Path content = SampleContent.file(dir.resolve("seed"), "utp.bin", CONTENT_SIZE, seed);
        Path torrentFile = dir.resolve("utp.torrent");
        Libtorrent.require().create(content, torrentFile, 0, Libtorrent.Layout.V1, List.of());
        return torrentFile;
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }
}
