package dev.jtorrent.cli;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code download MAGNET} and {@code metadata MAGNET} in-process, from a seeding session named by the link's
 * {@code x.pe} alone: the content arrives bit-exact, {@code --save-torrent} and {@code metadata} write a .torrent
 * of the same info hash, {@code --select-file} applies once the files are known, and bad links are one-line errors.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MagnetCommandsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private Session seeder;
    private Path content;
    private Torrent torrent;

    /** An album of two files, seeded by an in-process session without any tracker. */
    @BeforeEach
    void seedAnAlbum() throws Exception {
        content = Files.createDirectories(dir.resolve("seed").resolve("album"));
        Random random = new Random(4);
        for (String name : List.of("a.bin", "b.bin")) {
            byte[] bytes = new byte[700_000];
            random.nextBytes(bytes);
            Files.write(content.resolve(name), bytes);
        }
        Path torrentFile = dir.resolve("album.torrent");
        assertThat(CliRun.of("create", content.toString(), "-o", torrentFile.toString()).exitCode()).isZero();
        torrent = Torrent.load(torrentFile);
        seeder = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        seeder.add(torrent, AddOptions.builder().downloadDirectory(content.getParent()).build()).checked().join();
    }

    @AfterEach
    void stop() {
        seeder.close();
    }

    private String link() {
        return "magnet:?xt=urn:btih:" + torrent.infoHash().hex() + "&dn=waiting&x.pe=127.0.0.1:" + seeder.port();
    }

    @Test
    void downloadsAMagnetLinkAndSavesItsTorrent() throws Exception {
        Path saved = dir.resolve("saved.torrent");
        CliRun run = CliRun.of("download", link(), "-d", dir.resolve("downloads").toString(), "--bind", "127.0.0.1",
                "--port", "0", "--resume-dir", dir.resolve("resume").toString(), "--save-torrent", saved.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String name : List.of("a.bin", "b.bin")) {
            assertThat(dir.resolve("downloads").resolve("album").resolve(name))
                    .hasSameBinaryContentAs(content.resolve(name));
        }
        assertThat(Torrent.load(saved).infoHash()).isEqualTo(torrent.infoHash());
        assertThat(run.out()).contains("Downloaded album");
    }

    @Test
    void selectsFilesOnceTheMetadataIsIn() throws Exception {
        CliRun run = CliRun.of("download", link(), "-d", dir.resolve("downloads").toString(), "--bind", "127.0.0.1",
                "--port", "0", "--resume-dir", dir.resolve("resume").toString(), "--select-file", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dir.resolve("downloads").resolve("album").resolve("b.bin"))
                .hasSameBinaryContentAs(content.resolve("b.bin"));
        assertThat(dir.resolve("downloads").resolve("album").resolve("a.bin")).doesNotExist();
        assertThat(run.out()).contains("1 of 2 files verified");
    }

    @Test
    void metadataWritesTheTorrentAndDownloadsNothing() throws Exception {
        Path output = dir.resolve("only.torrent");
        CliRun run = CliRun.of("metadata", link(), "-o", output.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--resume-dir", dir.resolve("resume").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Torrent fetched = Torrent.load(output);
        assertThat(fetched.infoHash()).isEqualTo(torrent.infoHash());
        assertThat(fetched.info()).isEqualTo(torrent.info());
        assertThat(run.out()).contains("Saved the metadata of album (2 files, ");
    }

    @Test
    void badLinksAreOneLineErrors() {
        for (List<String> args : List.of(
                List.of("download", "magnet:?dn=nothing", "-d", dir.resolve("out").toString()),
                List.of("download", "magnet:?xt=urn:btih:1234", "-d", dir.resolve("out").toString()),
                List.of("metadata", "magnet:?xt=urn:btih:zz"),
                List.of("metadata", dir.resolve("album.torrent").toString()))) {
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isIn(1, 2);
            assertThat(run.errorLine()).as(String.join(" ", args)).startsWith("jtorrent: ");
            assertThat(run.err().strip().lines()).hasSize(1);
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
