package dev.jtorrent.cli;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.tracker.TrackerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code jtorrent demo}: the whole job on one machine with no network. Makes content in a temporary directory,
 * starts the embedded tracker and a seeding session on loopback, downloads through the real wire protocol with the
 * normal progress display, checks every byte, prints the throughput and cleans up. With {@code --magnet} the
 * downloader starts from a magnet link, and fetches the metadata from the seeder first.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Download through a local swarm (tracker + seeder on loopback) and verify the result.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final int CHUNK = 4 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "256MiB",
            description = "How much content to make (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--no-pex", description = "Do not exchange peer addresses between the two peers (BEP 11 ut_pex).")
    boolean noPex;

    @Option(names = "--keep", description = "Keep the temporary directory and print where it is.")
    boolean keep;

    @Option(names = "--magnet",
            description = "Start the download from a magnet link (info hash and tracker only): the metadata is "
                    + "fetched from the seeder first.")
    boolean magnet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long bytes = DataSize.parse(size);
        if (bytes < 1 || bytes > 64L * 1024 * 1024 * 1024) {
            throw new UsageException("--size must be from 1 byte to 64GiB");
        }
        Path root = Files.createTempDirectory("jtorrent-demo-");
        try {
            run(root, bytes, out);
        } finally {
            if (keep) {
                out.println("Kept " + root);
            } else {
                deleteTree(root);
            }
        }
        return ExitCode.OK;
    }

    private void run(Path root, long bytes, PrintWriter out) throws Exception {
        Path content = root.resolve("seed").resolve("jtorrent-demo");
        Path downloads = Files.createDirectories(root.resolve("download"));
        List<Long> sizes = fileSizes(bytes);
        out.printf(Locale.ROOT, "Making %s of content in %d files under %s%n", DataSize.format(bytes), sizes.size(),
                root);
        out.flush();
        makeContent(content, sizes);

        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (TrackerServer tracker = TrackerServer.start(new InetSocketAddress(loopback, 0), Duration.ofSeconds(5))) {
            byte[] metainfo = TorrentBuilder.of(content)
                    .withTrackerTiers(List.of(List.of(tracker.httpAnnounceUrl())))
                    .withCreatedBy(Optional.of(Version.userAgent()))
                    .build(TorrentBuilder.of(content).plan(), new AtomicLong());
            Torrent torrent = Torrent.parse(metainfo);
            out.printf(Locale.ROOT, "Torrent %s: %d pieces of %s, info hash %s%n", torrent.name(),
                    torrent.info().pieceCount(), DataSize.format(torrent.info().pieceLength()), torrent.infoHash());
            out.println("Tracker " + tracker.httpAnnounceUrl());
            SessionConfig config = SessionConfig.builder().bindAddress(loopback).port(0).pex(!noPex).build();
            try (Session seeder = Session.start(config); Session leecher = Session.start(config)) {
                TorrentHandle seed = seeder.add(torrent,
                        AddOptions.builder().downloadDirectory(content.getParent()).build());
                seed.checked().join();
                out.printf("Seeder on port %d, downloader on port %d%n", seeder.port(), leecher.port());
                out.flush();
                AddOptions options = AddOptions.builder().downloadDirectory(downloads).build();
                long start = System.nanoTime();
                TorrentHandle download;
                if (magnet) {
                    MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + torrent.infoHash().hex() + "&dn="
                            + URLEncoder.encode(torrent.name(), StandardCharsets.UTF_8) + "&tr="
                            + URLEncoder.encode(tracker.httpAnnounceUrl(), StandardCharsets.UTF_8));
                    out.println("Magnet " + link.toUri());
                    out.flush();
                    download = leecher.add(link, options);
                } else {
                    download = leecher.add(torrent, options);
                }
                CompletableFuture<Long> metadataAt = download.metadata().thenApply(known -> System.nanoTime());
                StatusLine status = new StatusLine(out, Terminal.isInteractive(), false);
                boolean waiting = magnet;
                while (true) {
                    try {
                        download.completion().get(200, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        if (waiting && metadataAt.isDone()) {
                            waiting = false;
                            status.finish();
                            metadataFetched(out, metadataAt.join() - start);
                        }
                        status.update(waiting ? "Metadata" : "Downloading", download.status());
                    } catch (ExecutionException e) {
                        status.finish();
                        throw new IOException("the download failed: " + e.getCause().getMessage(), e);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                status.update("Downloading", download.status());
                status.finish();
                if (waiting) { // done before the first look
                    metadataFetched(out, metadataAt.join() - start);
                }
                download.pause();
                seed.pause();
                out.printf(Locale.ROOT, "Downloaded %s in %.2f s: %.1f MiB/s%n", DataSize.format(bytes), seconds,
                        bytes / 1048576.0 / seconds);
            }
        }
        verify(content, downloads.resolve(content.getFileName()), out);
    }

    private static void metadataFetched(PrintWriter out, long nanos) {
        out.printf(Locale.ROOT, "Metadata fetched from the seeder in %.2f s%n", nanos / 1e9);
        out.flush();
    }

    /** A few files of different sizes, one smaller than a block, plus an empty one. */
    private static List<Long> fileSizes(long total) {
        if (total < 4 * 1024 * 1024) {
            return List.of(total, 0L);
        }
        long small = 10_000;
        long medium = total / 5;
        return List.of(total - medium - small, medium, small, 0L);
    }

    private static void makeContent(Path directory, List<Long> sizes) throws IOException {
        Files.createDirectories(directory);
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        for (int i = 0; i < sizes.size(); i++) {
            Path file = directory.resolve(String.format(Locale.ROOT, "part-%d.bin", i + 1));
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                long left = sizes.get(i);
                while (left > 0) {
                    buffer.clear();
                    while (buffer.remaining() >= Long.BYTES) {
                        buffer.putLong(random.nextLong());
                    }
                    buffer.flip().limit((int) Math.min(buffer.limit(), left));
                    while (buffer.hasRemaining()) {
                        left -= channel.write(buffer);
                    }
                }
            }
        }
    }

    private static void verify(Path expected, Path actual, PrintWriter out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(expected)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            Path copy = actual.resolve(expected.relativize(file));
            if (!Files.exists(copy) || Files.mismatch(file, copy) != -1) {
                throw new IOException("verification failed: " + copy + " differs from the original");
            }
        }
        out.printf("Verified: all %d files are identical to the originals%n", files.size());
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
