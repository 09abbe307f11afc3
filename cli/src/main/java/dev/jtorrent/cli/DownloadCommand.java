package dev.jtorrent.cli;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.swarm.SwarmStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** {@code jtorrent download}: fetches a torrent's content, verified, then (optionally) seeds for a while. */
@Command(name = "download", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Download a torrent's content into a directory, verified piece by piece.",
        footer = {"", "Exits 0 once every piece is verified on disk (or after seeding, with --seed-ratio/--seed-time).",
                "Ctrl-C stops cleanly: trackers are told, files are flushed, the exit code is 130;",
                "SIGTERM does the same with 143, also while seeding.", "",
                "Examples:", "  jtorrent download ubuntu.iso.torrent -d ~/Downloads",
                "  jtorrent download https://example.org/file.torrent --seed-ratio 1.5"})
final class DownloadCommand implements Callable<Integer> {
    private static final long REFRESH_MILLIS = 200;
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A .torrent file or an http(s) URL of one.")
    String source;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "Where to put the files (default: the current directory); created if missing.")
    Path directory;

    @Mixin
    NetworkOptions network;

    @Mixin
    ResumeOptions resume;

    @Option(names = "--seed-ratio", paramLabel = "R",
            description = "After downloading, seed until uploaded / size reaches R.")
    Double seedRatio;

    @Option(names = "--seed-time", paramLabel = "DUR", description = "After downloading, seed for DUR (e.g. 30m).")
    String seedTime;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (seedRatio != null && (seedRatio < 0 || seedRatio.isNaN() || seedRatio.isInfinite())) {
            throw new UsageException("--seed-ratio must be a number of 0 or more");
        }
        Duration seedFor = seedTime == null ? null : DurationText.parse(seedTime);
        SessionConfig config = resume.apply(network.sessionConfig());
        Torrent torrent = TorrentSource.load(source);
        Files.createDirectories(directory);

        try (Session session = Session.start(config)) {
            AtomicLong checked = new AtomicLong();
            TorrentHandle handle = session.add(torrent, directory, checked);
            if (!quiet) {
                handle.startNote().ifPresent(out::println);
            }
            Thread hook = new Thread(handle::stop, "stop-on-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            long total = torrent.info().totalLength();
            StatusLine status = new StatusLine(out, Terminal.isInteractive(), quiet);
            long start = System.nanoTime();
            long before = handle.stats().bytesLeft();
            awaitCompletion(handle, status, total);
            status.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!quiet) {
                long fetched = before - handle.stats().bytesLeft();
                out.printf(Locale.ROOT, "Downloaded %s: %s in %.1f s (%s/s), all %d pieces verified%n",
                        torrent.name(), DataSize.format(fetched), seconds,
                        DataSize.format((long) (fetched / Math.max(seconds, 1e-3))), torrent.info().pieceCount());
                out.flush();
            }
            if (seedRatio != null || seedFor != null) {
                seed(handle, status, total, seedFor, out);
            }
            handle.stop();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return ExitCode.OK;
    }

    private void awaitCompletion(TorrentHandle handle, StatusLine status, long total)
            throws IOException, InterruptedException {
        String paused = null;
        while (true) {
            try {
                handle.completion().get(REFRESH_MILLIS, TimeUnit.MILLISECONDS);
                status.update("Downloading", handle.stats(), total);
                return;
            } catch (TimeoutException e) {
                SwarmStats stats = handle.stats();
                if (stats.paused() != null && paused == null) {
                    // A full disk: said once where errors go; the status line keeps showing it until space returns.
                    status.finish();
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("jtorrent: " + stats.paused());
                    err.flush();
                }
                paused = stats.paused();
                status.update("Downloading", stats, total);
            } catch (ExecutionException e) {
                status.finish();
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** Seeds until the ratio is reached or the time is up, whichever comes first; either may be absent. */
    private void seed(TorrentHandle handle, StatusLine status, long total, Duration seedFor, PrintWriter out)
            throws InterruptedException, IOException {
        long start = System.nanoTime();
        // Saturated: a Duration of centuries has more nanoseconds than a long holds.
        long limit = seedFor == null ? Long.MAX_VALUE : seedFor.compareTo(LONGEST) >= 0 ? Long.MAX_VALUE
                : seedFor.toNanos();
        while (System.nanoTime() - start < limit) {
            SwarmStats stats = handle.stats();
            if (stats.error() != null) {
                status.finish();
                throw new IOException(stats.error()); // a disk failing while we seed ends the command, as in seed
            }
            if (seedRatio != null && stats.uploaded() >= seedRatio * total) {
                break;
            }
            status.update("Seeding", stats, total);
            Thread.sleep(REFRESH_MILLIS);
        }
        status.finish();
        if (!quiet) {
            out.println(SeedCommand.summary(handle.torrent().name(), handle.stats().uploaded(), total,
                    (System.nanoTime() - start) / 1e9));
            out.flush();
        }
    }
}
