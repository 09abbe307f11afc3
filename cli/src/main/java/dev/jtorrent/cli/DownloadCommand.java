package dev.jtorrent.cli;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.swarm.DownloadOptions;
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
import java.util.Arrays;
import java.util.List;
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
                "  jtorrent download https://example.org/file.torrent --seed-ratio 1.5",
                "  jtorrent download series.torrent --select-file 1,3-5 --exclude '*.nfo'"})
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

    @Mixin
    FileSelectionOptions selection;

    @Option(names = "--download-limit", paramLabel = "RATE",
            description = "Download at most RATE bytes a second, e.g. 500KiB or 10MiB (default: no limit).")
    String downloadLimit;

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
        selection.checkSyntax();
        long downloadBytes = downloadLimit == null ? 0 : DataSize.parseRate("--download-limit", downloadLimit);
        SessionConfig config = resume.apply(network.sessionConfig());
        config = config.withSwarm(config.swarm().withDownloadLimit(downloadBytes));
        Torrent torrent = TorrentSource.load(source);
        DownloadOptions options = selection.options(torrent.info());
        Files.createDirectories(directory);

        try (Session session = Session.start(config)) {
            AtomicLong checked = new AtomicLong();
            TorrentHandle handle = session.add(torrent, directory, checked, false, options);
            if (!quiet) {
                handle.startNote().ifPresent(out::println);
            }
            Thread hook = new Thread(handle::stop, "stop-on-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            long total = wantedBytes(torrent.info(), options);
            StatusLine status = new StatusLine(out, Terminal.isInteractive(), quiet);
            long start = System.nanoTime();
            long before = handle.stats().bytesLeft();
            awaitCompletion(handle, status, total);
            status.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!quiet) {
                long fetched = before - handle.stats().bytesLeft();
                out.printf(Locale.ROOT, "Downloaded %s: %s in %.1f s (%s/s), %s verified%n",
                        torrent.name(), DataSize.format(fetched), seconds,
                        DataSize.format((long) (fetched / Math.max(seconds, 1e-3))), whatWasVerified(torrent, options));
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

    /** The bytes of the pieces to download: what the progress bar and the seed ratio count. */
    private static long wantedBytes(InfoDictionary info, DownloadOptions options) {
        FilePriority[] pieces = FilePriority.ofPieces(PieceMap.of(info), options.prioritiesFor(info.files().size()));
        long bytes = 0;
        for (int piece = 0; piece < pieces.length; piece++) {
            bytes += pieces[piece].wanted() ? info.pieceSize(piece) : 0;
        }
        return bytes;
    }

    /** "all 92 pieces", or with files skipped "2 of 3 files (9 of 12 pieces)". */
    private String whatWasVerified(Torrent torrent, DownloadOptions options) {
        InfoDictionary info = torrent.info();
        if (!selection.selectsFiles()) {
            return "all " + info.pieceCount() + " pieces";
        }
        List<FilePriority> priorities = options.prioritiesFor(info.files().size());
        long files = 0;
        long wanted = 0;
        for (int i = 0; i < priorities.size(); i++) {
            if (!info.files().get(i).padding()) {
                files++;
                wanted += priorities.get(i).wanted() ? 1 : 0;
            }
        }
        long pieces = Arrays.stream(FilePriority.ofPieces(PieceMap.of(info), priorities))
                .filter(FilePriority::wanted).count();
        return wanted + " of " + files + " files (" + pieces + " of " + info.pieceCount() + " pieces)";
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
