package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class InfoCommandTest {
    @TempDir
    Path dir;

    private Path makeTorrent() throws IOException {
        Path content = dir.resolve("con\"tent");
        Files.createDirectories(content);
        byte[] data = new byte[40_000];
        new Random(1).nextBytes(data);
        Files.write(content.resolve("a.txt"), data);
        Files.write(content.resolve("b.txt"), new byte[] {1, 2, 3});
        Path out = dir.resolve("t.torrent");
        CliRun run = CliRun.of("create", content.toString(), "-o", out.toString(), "--piece-size", "16KiB",
                "-t", "http://t.example/announce", "--web-seed", "http://w.example/", "--no-date");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    @Test
    void printsTheFieldsAsJson() throws IOException {
        CliRun run = CliRun.of("info", "--json", makeTorrent().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip())
                .startsWith("{\"name\":\"con\\\"tent\",\"infoHash\":\"")
                .contains("\"totalSize\":40003,\"pieceLength\":16384,\"pieceCount\":3,\"private\":false,"
                        + "\"trackers\":[[\"http://t.example/announce\"]],\"webSeeds\":[\"http://w.example/\"],"
                        + "\"files\":[{\"index\":1,\"path\":\"con\\\"tent/a.txt\",\"size\":40000},"
                        + "{\"index\":2,\"path\":\"con\\\"tent/b.txt\",\"size\":3}]")
                .matches("(?s)\\{.*\"infoHash\":\"[0-9a-f]{40}\".*\\}")
                .doesNotContain("\n");
    }

    @Test
    void printsReadableText() throws IOException {
        CliRun run = CliRun.of("info", makeTorrent().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Name:       con\"tent").contains("Pieces:     3 of 16.0 KiB")
                .contains("tier 1: http://t.example/announce")
                .contains("Files (2, numbered as download --select-file takes them):\n"
                        + "  1    39.1 KiB  con\"tent/a.txt\n"
                        + "  2         3 B  con\"tent/b.txt");
    }

    @Test
    void reportsBadTorrentFilesInOneLine() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.torrent"), "this is not bencode".getBytes());
        Path truncated = Files.write(dir.resolve("truncated.torrent"),
                Files.readAllBytes(makeTorrent()).length > 50
                        ? java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("t.torrent")), 50) : new byte[0]);
        Path nested = Files.write(dir.resolve("nested.torrent"),
                ("l".repeat(1_000_000) + "e".repeat(1_000_000)).getBytes());
        Path list = Files.write(dir.resolve("list.torrent"), "li1ee".getBytes());

        assertThat(CliRun.of("info", garbage.toString()).errorLine())
                .startsWith("jtorrent: " + garbage + ": not a valid torrent file: unexpected byte");
        assertThat(CliRun.of("info", truncated.toString()).errorLine())
                .startsWith("jtorrent: " + truncated + ": not a valid torrent file: ")
                .containsPattern("at byte \\d+$");
        assertThat(CliRun.of("info", nested.toString()).errorLine()).contains("nesting deeper than 100");
        assertThat(CliRun.of("info", list.toString()).errorLine()).contains("not a dictionary");
        assertThat(CliRun.of("info", dir.resolve("missing").toString()).errorLine())
                .isEqualTo("jtorrent: no such file or directory: " + dir.resolve("missing"));
        assertThat(CliRun.of("info", garbage.toString()).exitCode()).isEqualTo(1);
    }

    @Test
    void refusesAHugeFileWithoutReadingItAll() throws IOException {
        Path huge = dir.resolve("huge.torrent");
        try (var channel = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'d'}), 4L * 1024 * 1024 * 1024); // sparse 4 GiB
        }
        CliRun run = CliRun.of("info", huge.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLine()).contains("larger than the limit");
    }

    @Test
    void showsWhatAMagnetLinkSays() {
        String link = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=photos"
                + "&tr=udp%3A%2F%2Ft.example%3A6969&tr=http%3A%2F%2Fu.example%2Fannounce";
        CliRun json = CliRun.of("info", "--json", link);
        assertThat(json.exitCode()).isZero();
        assertThat(json.out().strip()).startsWith("{\"name\":\"photos\","
                + "\"infoHash\":\"0123456789abcdef0123456789abcdef01234567\",\"infoHashV2\":null,"
                + "\"trackers\":[[\"udp://t.example:6969\"],[\"http://u.example/announce\"]]");
        CliRun text = CliRun.of("info", link);
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("photos").contains("udp://t.example:6969");
    }

    @Test
    void reportsABadMagnetLinkInOneLine() {
        CliRun run = CliRun.of("info", "magnet:?dn=nothing-else");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLine()).startsWith("jtorrent: ").contains("xt");
    }

    @Test
    void printsAStackTraceOnlyWhenVerbose() throws IOException {
        Path garbage = Files.write(dir.resolve("g.torrent"), "x".getBytes());
        assertThat(CliRun.of("info", garbage.toString()).err()).doesNotContain("\tat ");
        assertThat(CliRun.of("--verbose", "info", garbage.toString()).err()).contains("\tat ");
    }
}
