package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The download command's refusals: each a usage error or a failure, in one line, before touching the network. */
class DownloadCommandTest {
    @TempDir
    Path dir;

    private Path torrent() throws IOException {
        Path file = dir.resolve("content.bin");
        byte[] bytes = new byte[50_000];
        new Random(3).nextBytes(bytes);
        Files.write(file, bytes);
        Path torrent = dir.resolve("content.torrent");
        assertThat(CliRun.of("create", file.toString(), "-o", torrent.toString(), "-t",
                "http://127.0.0.1:9/announce").exitCode()).isZero();
        return torrent;
    }

    @Test
    void treatsBadOptionValuesAsUsageErrors() throws IOException {
        String torrent = torrent().toString();
        String target = dir.resolve("out").toString();
        for (List<String> args : List.of(
                List.of("download", torrent, "-d", target, "--port", "70000"),
                List.of("download", torrent, "-d", target, "--max-peers", "0"),
                List.of("download", torrent, "-d", target, "--upload-slots", "-1"),
                List.of("download", torrent, "-d", target, "--upload-slots", "1001"),
                List.of("download", torrent, "-d", target, "--upload-limit", "lots"),
                List.of("download", torrent, "-d", target, "--seed-ratio", "-1"),
                List.of("download", torrent, "-d", target, "--seed-time", "soon"),
                List.of("download", torrent, "-d", target, "--bind", "no.such.host.invalid"),
                List.of("download"))) {
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.errorLine()).startsWith("jtorrent: ");
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** Each bad file selection is a usage error with its own one-line reason, and nothing is created. */
    @Test
    void treatsBadFileSelectionsAndRatesAsUsageErrors() throws IOException {
        String torrent = torrent().toString();
        String target = dir.resolve("out").toString();
        for (List<String> bad : List.of(
                List.of("--select-file", "0", "--select-file: file indexes start at 1, as jtorrent info prints them,"
                        + " not 0"),
                List.of("--select-file", "2", "--select-file: there is no file 2: the torrent has 1 file"
                        + " (jtorrent info lists them)"),
                List.of("--select-file", "3-1", "--select-file: the range 3-1 runs backwards"),
                List.of("--select-file", "one", "--select-file: not a file index or range: 'one' (example: 1,3-5)"),
                List.of("--exclude", "*.bin", "--exclude leave no file to download"),
                List.of("--exclude", "[a", "--exclude: not a glob: '[a' (examples: '*.nfo', 'Sample/*',"
                        + " '[ab]*.{mkv,mp4}')"),
                List.of("--download-limit", "fast", "--download-limit: not a size: 'fast' (examples: 16KiB, 4MiB,"
                        + " 262144)"),
                List.of("--download-limit", "100", "--download-limit must be at least 1KiB a second, not 100"))) {
            CliRun run = CliRun.of("download", torrent, "-d", target, "--port", "0", bad.get(0), bad.get(1));
            assertThat(run.exitCode()).as(bad.get(1)).isEqualTo(2);
            assertThat(run.errorLine()).isEqualTo("jtorrent: " + bad.get(2));
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void reportsAMissingOrCorruptTorrentInOneLine() throws IOException {
        CliRun missing = CliRun.of("download", dir.resolve("nope.torrent").toString(), "-d", dir.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errorLine()).isEqualTo("jtorrent: no such file or directory: " + dir.resolve("nope.torrent"));

        Path corrupt = Files.write(dir.resolve("corrupt.torrent"), "d4:infoi3ee".getBytes());
        CliRun bad = CliRun.of("download", corrupt.toString(), "-d", dir.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.errorLine()).contains("corrupt.torrent").contains("no info dictionary");
    }

    @Test
    void reportsADirectoryThatCannotBeCreatedInOneLine() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
        CliRun run = CliRun.of("download", torrent().toString(), "-d", blocker.resolve("sub").toString(),
                "--port", "0");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLine()).startsWith("jtorrent: ").contains("a-file");
    }

    @Test
    void reportsAPortInUseInOneLine() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("download", torrent().toString(), "-d", dir.resolve("out").toString(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.errorLine()).startsWith("jtorrent: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
