package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void printsTheVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("jtorrent ").doesNotContain("${");
    }

    @Test
    void printsHelpListingTheCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("create", "info", "download", "metadata", "seed", "demo", "tracker");
    }

    /** The demo from a magnet link: the metadata comes from the seeder, then the download is verified. */
    @Test
    void runsTheDemoFromAMagnetLink() {
        CliRun run = CliRun.of("demo", "--magnet", "--size", "2MiB");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Magnet magnet:?xt=urn:btih:", "Metadata fetched from the seeder in ",
                "Verified: all 2 files are identical to the originals");
    }

    /** Only the command named is built; options before it, inherited ones included, still apply to it. */
    @Test
    void runsTheCommandNamedAfterTopLevelOptions() {
        CliRun run = CliRun.of("--verbose", "info", "no-such.torrent");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("jtorrent: ").contains("no-such.torrent").contains("\tat ");
    }

    @Test
    void treatsAnUnknownCommandAsAUsageError() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLine()).startsWith("jtorrent: Unmatched argument");
    }

    @Test
    void treatsNoCommandAsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLine()).isEqualTo("jtorrent: a command is required (see 'jtorrent --help')");
    }
}
