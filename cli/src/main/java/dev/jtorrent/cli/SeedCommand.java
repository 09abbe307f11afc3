package dev.jtorrent.cli;

import dev.jtorrent.metainfo.Torrent;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code jtorrent seed}: checks complete data, then serves it until Ctrl-C or SIGTERM. SIGTERM is its normal stop,
 * after which it exits 0 ({@link StopSignal}); Ctrl-C exits 130, as for every command.
 */
@Command(name = "seed", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Seed a torrent's complete data from a directory until stopped (Ctrl-C or SIGTERM).",
        footer = {"", "SIGTERM stops it cleanly: trackers are told, resume data is saved, the exit code is 0.",
                "Ctrl-C stops it just as cleanly, with the exit code 130.", "",
                "Examples:", "  jtorrent seed photos.torrent -d ~/shared",
                "  jtorrent seed big.torrent -d /srv/data --port 51413 --bind 192.0.2.10"})
final class SeedCommand implements Callable<Integer> {
    private static final long REFRESH_MILLIS = 500;
    /** How long stopping waits for the final summary line to be printed. */
    private static final long SUMMARY_WAIT_MILLIS = 5_000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TORRENT", description = "A .torrent file or an http(s) URL of one.")
    String source;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", required = true,
            description = "The directory that holds the torrent's files (the one `download -d` used).")
    Path directory;

    @Mixin
    NetworkOptions network;

    @Mixin
    ResumeOptions resume;

    @Option(names = "--skip-check", description = "Trust the data without checking it first; each piece is hashed "
            + "before it is first sent, and a piece that does not match is never sent.")
    boolean skipCheck;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            return seed(stop);
        }
    }

    /** Waits for the check of the data; a failed check (an unreadable disk) ends the command. */
    private static TorrentHandle checked(TorrentHandle handle) throws IOException, InterruptedException {
        try {
            return handle.checked().get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Checks the data, then seeds until {@code stop} is asked for: by SIGTERM, or by the shutdown hook once it
     * stopped the torrent itself (Ctrl-C, SIGHUP), after which the JVM exits with its own code whatever this
     * returns. A SIGTERM during the check cuts it short; nothing was announced yet then.
     */
    private int seed(StopSignal stop) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SessionConfig config = resume.apply(network.sessionConfig());
        Torrent torrent = TorrentSource.load(source);
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        try (Session session = Session.start(config)) {
            if (!quiet) {
                out.printf(skipCheck ? "Trusting %s in %s%n" : "Checking %s in %s...%n", torrent.name(), directory);
                out.flush();
            }
            TorrentHandle adding = session.add(torrent,
                    network.addOptions().downloadDirectory(directory).trustData(skipCheck).build());
            Optional<TorrentHandle> added = stop.interruptibly(() -> checked(adding));
            if (added.isEmpty()) {
                if (!quiet) {
                    out.println("Stopped before seeding " + torrent.name());
                    out.flush();
                }
                return ExitCode.OK;
            }
            TorrentHandle handle = added.get();
            if (!quiet) {
                handle.startNote().ifPresent(out::println);
            }
            TorrentStatus checked = handle.status();
            if (!(checked.state() instanceof TorrentState.Seeding)) {
                handle.pause();
                throw new IOException(directory + " holds " + checked.verifiedPieces() + " of "
                        + checked.pieceCount() + " pieces of " + torrent.name()
                        + "; seed needs all of them (download fetches the rest)");
            }
            CountDownLatch reported = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                handle.pause();
                stop.request();
                try {
                    // The JVM halts once the hooks return: give the main thread its moment to print the summary.
                    reported.await(SUMMARY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-on-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            if (!quiet) {
                out.printf(Locale.ROOT, "Seeding %s (%s) on port %d; Ctrl-C to stop%n", torrent.name(),
                        DataSize.format(torrent.info().contentLength()), session.port());
                out.flush();
            }
            StatusLine status = new StatusLine(out, Terminal.isInteractive(), quiet);
            long start = System.nanoTime();
            while (!stop.await(REFRESH_MILLIS, TimeUnit.MILLISECONDS)) {
                TorrentStatus now = handle.status();
                if (now.state() instanceof TorrentState.Failed failed && !failed.retrying()) {
                    status.finish();
                    Runtime.getRuntime().removeShutdownHook(hook);
                    handle.pause();
                    throw new IOException(failed.message());
                }
                status.update("Seeding", now);
            }
            status.finish();
            // After SIGTERM: tells the trackers, flushes, saves resume data. After the hook: done already.
            handle.pause();
            if (!quiet) {
                // Stopped: the swarm has shut down, so these are the final counts.
                out.println(summary(torrent.name(), handle.status().uploaded(), checked.wantedBytes(),
                        (System.nanoTime() - start) / 1e9));
                out.flush();
            }
            reported.countDown();
        }
        return ExitCode.OK;
    }

    /**
     * The last line of a seed that was stopped (and of {@code download} once its --seed-ratio/--seed-time seeding
     * ends): how long it seeded, and how much it uploaded in all, as a size and as copies of the content (the share
     * ratio).
     */
    static String summary(String name, long uploaded, long totalBytes, double seconds) {
        long s = Math.max(0, Math.round(seconds));
        String elapsed = s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        return String.format(Locale.ROOT, "Stopped seeding %s after %s: uploaded %s (ratio %.2f)", name, elapsed,
                DataSize.format(uploaded), totalBytes == 0 ? 0.0 : (double) uploaded / totalBytes);
    }
}
