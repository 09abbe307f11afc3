package dev.jtorrent.cli;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code jtorrent download}: fetches a torrent's content, verified, then (optionally) seeds for a while. */
@Command(name = "download", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Download a torrent's content into a directory, verified piece by piece.",
        footer = {"", "Exits 0 once every piece is verified on disk (or after seeding, with --seed-ratio/--seed-time).",
                "Ctrl-C stops cleanly: trackers are told, files are flushed, the exit code is 130;",
                "SIGTERM does the same with 143, also while seeding.", "",
                "Examples:", "  jtorrent download ubuntu.iso.torrent -d ~/Downloads",
                "  jtorrent download 'magnet:?xt=urn:btih:...' --save-torrent album.torrent",
                "  jtorrent download https://example.org/file.torrent --seed-ratio 1.5",
                "  jtorrent download series.torrent --select-file 1,3-5 --exclude '*.nfo'"})
final class DownloadCommand implements Callable<Integer> {
    private static final long REFRESH_MILLIS = 200;
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "A .torrent file, an http(s) URL of one, or a magnet link (its metadata is fetched from "
                    + "peers first).")
    String source;

    @Option(names = "--save-torrent", paramLabel = "FILE",
            description = "Write the torrent's .torrent file to FILE (for a magnet link, once its metadata is in).")
    Path saveTorrent;

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
        MagnetLink magnet = MagnetSource.isMagnet(source) ? MagnetLink.parse(source) : null;
        Torrent given = magnet == null ? TorrentSource.load(source) : null;
        AddOptions.Builder options = network.addOptions().downloadLimit(downloadBytes).downloadDirectory(directory);
        // A .torrent's files are chosen before anything is made; a magnet's once its metadata is in.
        AddOptions givenOptions = given != null ? selection.apply(given.info(), options).build() : null;
        Files.createDirectories(directory);

        try (Session session = Session.start(config)) {
            StatusLine status = new StatusLine(out, Terminal.isInteractive(), quiet);
            TorrentHandle handle = given != null ? session.add(given, givenOptions)
                    : MagnetSource.fetchMetadata(session, magnet, options, status);
            Thread hook = new Thread(handle::pause, "stop-on-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            Torrent torrent = handle.torrent().orElseThrow();
            if (saveTorrent != null) {
                MagnetSource.save(torrent, saveTorrent);
            }
            if (magnet != null) {
                choose(handle, torrent);
            }
            awaitCheck(handle);
            if (!quiet) {
                handle.startNote().ifPresent(out::println);
            }
            long start = System.nanoTime();
            long before = handle.status().bytesLeft();
            awaitCompletion(handle, status);
            status.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!quiet) {
                long fetched = before - handle.status().bytesLeft();
                out.printf(Locale.ROOT, "Downloaded %s: %s in %.1f s (%s/s), %s verified%n",
                        torrent.name(), DataSize.format(fetched), seconds,
                        DataSize.format((long) (fetched / Math.max(seconds, 1e-3))), whatWasVerified(handle));
                out.flush();
            }
            if (seedRatio != null || seedFor != null) {
                seed(handle, status, seedFor, out);
            }
            handle.pause();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return ExitCode.OK;
    }

    /**
     * A magnet's torrent, stopped with its metadata in: its files as the options choose them (else as the link's
     * {@code so} did), then started.
     */
    private void choose(TorrentHandle handle, Torrent torrent) {
        if (selection.selectsFiles()) {
            List<FilePriority> priorities = selection.priorities(torrent.info());
            for (int i = 0; i < priorities.size(); i++) {
                handle.setFilePriority(i, priorities.get(i));
            }
        }
        handle.setSequential(selection.sequential);
        handle.resume();
    }

    /** "all 92 pieces", or with files skipped "3 of 5 files". */
    private String whatWasVerified(TorrentHandle handle) {
        if (!selection.selectsFiles()) {
            return "all " + handle.status().pieceCount() + " pieces";
        }
        List<FileStatus> files = handle.files();
        long wanted = files.stream().filter(file -> file.priority() != FilePriority.SKIP).count();
        return wanted + " of " + files.size() + " files";
    }

    /** Waits for the check of the data already there; a failed check (an unreadable disk) ends the command. */
    private static void awaitCheck(TorrentHandle handle) throws IOException, InterruptedException {
        try {
            handle.checked().get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void awaitCompletion(TorrentHandle handle, StatusLine status) throws IOException, InterruptedException {
        String held = null;
        while (true) {
            try {
                handle.completion().get(REFRESH_MILLIS, TimeUnit.MILLISECONDS);
                status.update("Downloading", handle.status());
                return;
            } catch (TimeoutException e) {
                TorrentStatus now = handle.status();
                String heldNow = now.state() instanceof TorrentState.Failed failed && failed.retrying()
                        ? failed.message() : null;
                if (heldNow != null && held == null) {
                    // A full disk: said once where errors go; the status line keeps showing it until space returns.
                    status.finish();
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("jtorrent: " + heldNow);
                    err.flush();
                }
                held = heldNow;
                status.update("Downloading", now);
            } catch (ExecutionException e) {
                status.finish();
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** Seeds until the ratio is reached or the time is up, whichever comes first; either may be absent. */
    private void seed(TorrentHandle handle, StatusLine status, Duration seedFor, PrintWriter out)
            throws InterruptedException, IOException {
        long start = System.nanoTime();
        long total = handle.status().wantedBytes();
        // Saturated: a Duration of centuries has more nanoseconds than a long holds.
        long limit = seedFor == null ? Long.MAX_VALUE : seedFor.compareTo(LONGEST) >= 0 ? Long.MAX_VALUE
                : seedFor.toNanos();
        while (System.nanoTime() - start < limit) {
            TorrentStatus now = handle.status();
            if (now.state() instanceof TorrentState.Failed failed && !failed.retrying()) {
                status.finish();
                throw new IOException(failed.message()); // a disk failing while we seed ends the command, as in seed
            }
            if (seedRatio != null && now.uploaded() >= seedRatio * total) {
                break;
            }
            status.update("Seeding", now);
            Thread.sleep(REFRESH_MILLIS);
        }
        status.finish();
        if (!quiet) {
            out.println(SeedCommand.summary(handle.name(), handle.status().uploaded(), total,
                    (System.nanoTime() - start) / 1e9));
            out.flush();
        }
    }
}
