package dev.jtorrent.cli.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jtorrent itself seeding: {@code jtorrent seed TORRENT -d DIR --port P --bind IP --verbose} from the shaded jar, in a
 * process of its own. It checks that DIR holds all the data, prints "Seeding NAME (SIZE) on port P; Ctrl-C to stop",
 * announces and serves until killed. {@code --verbose} adds the debug log (peer connections, why they closed, tracker
 * replies) to the same log file, which a failure message quotes.
 *
 * <p>{@link #start} returns once the "Seeding" line is printed, that is once the data checked out; that the seed
 * announced itself is for the tracker's scrape to tell ({@link Opentracker#awaitSeeds}).
 */
final class JtorrentSeeder implements Seeder {

    /** The JVM's start and the check of a few MiB take a second or two; more on a loaded machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Stopping announces "stopped" and flushes the data; jtorrent gives those 15 s and 30 s at most. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SUMMARY = Pattern.compile(
            "(?m)^Stopped seeding .* after [0-9:]+: uploaded .* \\(ratio (\\d+\\.\\d+)\\)$");

    private final Path workDir;
    private final JtorrentCli cli;
    private final List<String> options;
    private BackgroundProcess process;

    JtorrentSeeder(Path workDir) {
        this(workDir, List.of());
    }

    /** A seed started with {@code options} added to its command line. */
    JtorrentSeeder(Path workDir, List<String> options) {
        this(workDir, JtorrentCli.fromBuild(), options);
    }

    /** A seed started by {@code cli} (the jar, or the launcher) with {@code options} added to its command line. */
    JtorrentSeeder(Path workDir, JtorrentCli cli, List<String> options) {
        this.workDir = workDir;
        this.cli = cli;
        this.options = List.copyOf(options);
    }

    @Override
    public String name() {
        return "jtorrent";
    }

    @Override
    public void start(Path torrent, Path dataParent, String ip, int port) {
        List<String> arguments = new ArrayList<>(List.of("seed", torrent.toString(), "-d", dataParent.toString(),
                "--port", Integer.toString(port), "--bind", ip, "--verbose"));
        arguments.addAll(options);
        List<String> command = cli.command(arguments);
        process = BackgroundProcess.start("jtorrent-seed", command, workDir, Map.of());
        Await.untilTrue("jtorrent to print \"Seeding ...\"", READY_TIMEOUT, () -> {
            boolean seeding = Files.isRegularFile(process.log()) && Files.readString(process.log(),
                    StandardCharsets.UTF_8).lines().anyMatch(line -> line.startsWith("Seeding "));
            if (!seeding) {
                process.requireAlive();
            }
            return seeding;
        }, this::describe);
    }

    /**
     * Stops the seed as a user would, with SIGTERM, and returns the share ratio (bytes uploaded over the content's
     * size, that is copies served) from the summary line it prints as it stops: "Stopped seeding NAME after TIME:
     * uploaded SIZE (ratio R)". Fails with its log if it does not exit in time or prints no such line.
     */
    double stopAndReadRatio() {
        OptionalInt exit = process.terminate(STOP_TIMEOUT);
        if (exit.isEmpty()) {
            throw new AssertionError("jtorrent seed still ran " + STOP_TIMEOUT + " after SIGTERM\n" + describe());
        }
        Matcher summary = SUMMARY.matcher(log());
        if (!summary.find()) {
            throw new AssertionError("jtorrent seed printed no \"Stopped seeding ...\" line when stopped (exit code "
                    + exit.getAsInt() + ")\n" + describe());
        }
        return Double.parseDouble(summary.group(1));
    }

    /**
     * The seed's process id: its JVM's, also when the launcher started it, since the launcher replaces itself with
     * the JVM ({@code exec}).
     */
    long pid() {
        return process.pid();
    }

    /** Fails with the seed's log unless it still runs: a seed serves until it is killed. */
    void requireAlive() {
        process.requireAlive();
    }

    /** The seed's whole log (stdout and the --verbose debug log on stderr), for checks on what it did. */
    String log() {
        try {
            return process == null || !Files.isRegularFile(process.log()) ? ""
                    : Files.readString(process.log(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return process == null ? "--- " + name() + " (not started)\n" : process.describe();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
