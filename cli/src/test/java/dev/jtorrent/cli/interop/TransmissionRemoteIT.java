package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * transmission-remote 3.00 drives jtorrent's daemon through the Transmission RPC, each step as a user types it: add
 * with a download directory ({@code -a FILE -w DIR}; {@code -w} after {@code -a}, or it would set the session's),
 * list with its Sum line, details and files by hash, labels, no-get, speed limits, stop and start, session info and
 * stats, a wrong password, and remove with the data; and a download followed to completion from a libtorrent seeder
 * that dials the daemon. The daemon runs in this JVM, its peers on 127.0.0.97 and the seeder on 127.0.0.96.
 */
class TransmissionRemoteIT {
    private static final ExternalTool REMOTE = new ExternalTool("transmission-remote", "transmission-cli");
    private static final String DAEMON_IP = "127.0.0.97";
    private static final String SEEDER_IP = "127.0.0.96";
    private static final String USER = "remote";
    private static final String PASSWORD = "s3cret: with space";
    /** 3 MiB and 12345 bytes in 256 KiB pieces, as rpc.md's real-download checks. */
    private static final long SIZE = 3 * 1024 * 1024 + 12_345;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();
    private Daemon daemon;

    @Test
    @Timeout(240) // a backstop only: each wait below has its own, shorter limit and a clearer message
    void transmissionRemoteDrivesTheDaemonThroughEveryStep() throws Exception {
        Path remote = REMOTE.require();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path seedDir = dir.resolve("seed");
        Path content = SampleContent.file(seedDir, "remote.bin", SIZE, 97);
        Path torrentFile = torrent(content, dir.resolve("remote.torrent"), 256 * 1024);
        Path idleContent = Files.createDirectories(dir.resolve("absent").resolve("idle"));
        SampleContent.file(idleContent, "a.bin", 100_000, 1);
        SampleContent.file(idleContent, "b.bin", 200_000, 2);
        Path idleFile = torrent(idleContent, dir.resolve("idle.torrent"), 16 * 1024);

        daemon = startDaemon(downloads);
        String target = "127.0.0.1:" + daemon.rpcPort();
        String login = USER + ":" + PASSWORD;

        String added = run(remote, target, "-n", login, "-a", torrentFile.toString(), "-w", downloads.resolve("tv")
                .toString()).requireSuccess().stdout();
        assertThat(added).contains("responded: \"success\"");
        run(remote, target, "-n", login, "-a", idleFile.toString(), "-w", downloads.toString()).requireSuccess();
        DaemonTorrent download = byName("remote.bin");
        DaemonTorrent idle = byName("idle");
        assertThat(download.handle().directory()).isEqualTo(downloads.resolve("tv"));
        String hash = download.infoHash().hex();
        String idleHash = idle.infoHash().hex();

        // The seeder dials the daemon: peers come from no tracker.
        LibtorrentClient seeder = new LibtorrentClient(ReferenceClient.Role.SEED)
                .withOptions("--connect", DAEMON_IP + ":" + daemon.session().port());
        started.add(seeder);
        seeder.start(torrentFile, seedDir, SEEDER_IP, Loopback.freePort(SEEDER_IP));
        Await.untilTrue("transmission-remote to report the download done", DOWNLOAD_TIMEOUT,
                () -> run(remote, target, "-n", login, "-t", hash, "-i").stdout().contains("Percent Done: 100%"),
                () -> run(remote, target, "-n", login, "-t", hash, "-i").describe());
        SameContent.assertIdentical(content, downloads.resolve("tv").resolve("remote.bin"), "the downloaded copy");

        String list = run(remote, target, "-n", login, "-l").requireSuccess().stdout();
        assertThat(list).contains("ID", "Done", "Status", "Name").contains("remote.bin", "idle").contains("Sum:");
        String info = run(remote, target, "-n", login, "-t", hash, "-i").requireSuccess().stdout();
        assertThat(info).contains("Name: remote.bin", "Hash: " + hash, "Location: " + downloads.resolve("tv"));
        String files = run(remote, target, "-n", login, "-t", hash, "-f").requireSuccess().stdout();
        assertThat(files).contains("remote.bin (1 files)", "100%", "Yes");

        run(remote, target, "-n", login, "-t", idleHash, "-L", "a,b", "-G", "1").requireSuccess();
        assertThat(idle.labels()).containsExactly("a", "b");
        assertThat(idle.handle().files()).extracting(FileStatus::priority)
                .containsExactly(FilePriority.NORMAL, FilePriority.SKIP);
        assertThat(run(remote, target, "-n", login, "-t", idleHash, "-f").stdout()).contains("No");

        run(remote, target, "-n", login, "-d", "300", "-u", "40").requireSuccess();
        assertThat(daemon.session().downloadLimit()).isEqualTo(300_000);
        assertThat(daemon.session().uploadLimit()).isEqualTo(40_000);
        run(remote, target, "-n", login, "-t", idleHash, "-d", "25").requireSuccess();
        assertThat(idle.handle().downloadLimit()).isEqualTo(25_000);

        run(remote, target, "-n", login, "-t", hash, "-S").requireSuccess();
        assertThat(row(run(remote, target, "-n", login, "-l").stdout(), "remote.bin")).contains("Stopped");
        run(remote, target, "-n", login, "-t", hash, "-s").requireSuccess();
        Await.untilTrue("the download to seed again", COMMAND_TIMEOUT,
                () -> !row(run(remote, target, "-n", login, "-l").stdout(), "remote.bin").contains("Stopped"),
                () -> run(remote, target, "-n", login, "-l").describe());

        assertThat(run(remote, target, "-n", login, "-si").requireSuccess().stdout()).contains("4.0.6 (jtorrent");
        assertThat(run(remote, target, "-n", login, "-st").requireSuccess().stdout()).contains("CURRENT SESSION");

        ExternalProcess.Result wrong = run(remote, target, "-n", USER + ":wrong", "-l");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stdout() + wrong.stderr()).contains("Unexpected response: <h1>401: Unauthorized</h1>");

        run(remote, target, "-n", login, "-t", hash, "--remove-and-delete").requireSuccess();
        assertThat(daemon.torrents().byHash(download.infoHash())).isEmpty();
        assertThat(downloads.resolve("tv").resolve("remote.bin")).doesNotExist();
        assertThat(run(remote, target, "-n", login, "-l").stdout()).doesNotContain("remote.bin");
    }

    private Daemon startDaemon(Path downloads) throws Exception {
        SessionConfig session = SessionConfig.builder()
                .bindAddress(Loopback.address(DAEMON_IP))
                .port(Loopback.freePort(DAEMON_IP))
                .dht(false)
                .lsd(false)
                .downloadDirectory(downloads)
                .resumeDirectory(dir.resolve("config").resolve("resume"))
                .build();
        HttpAccess access = new HttpAccess(address -> address.isLoopbackAddress(), host -> false,
                Optional.of((user, password) -> user.equals(USER) && password.equals(PASSWORD)));
        Daemon started = Daemon.start(new DaemonConfig(session, dir.resolve("config"), Loopback.address("127.0.0.1"),
                0, access, Optional.empty(), List.of(downloads)));
        this.started.add(started);
        return started;
    }

    private DaemonTorrent byName(String name) {
        return daemon.torrents().all().stream().filter(t -> t.handle().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no torrent " + name + " in " + daemon.torrents().all()));
    }

    private static Path torrent(Path content, Path out, int pieceLength) throws Exception {
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(pieceLength));
        Files.write(out, builder.build(builder.plan(), new AtomicLong()));
        return out;
    }

    private static ExternalProcess.Result run(Path remote, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(remote.toString());
        command.addAll(List.of(arguments));
        return ExternalProcess.of(COMMAND_TIMEOUT, command).run();
    }

    /** The line of {@code -l}'s output that names {@code name}. */
    private static String row(String list, String name) {
        return list.lines().filter(line -> line.endsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + list));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable each : started.reversed()) {
            each.close();
        }
    }
}
