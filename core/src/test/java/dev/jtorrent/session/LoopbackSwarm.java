package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.storage.ChannelOpener;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What a test of whole sessions on loopback needs: the embedded tracker, a directory of its own, content and
 * torrents made in it, and sessions and torrents that are all stopped after the test, last opened first. A JUnit
 * extension: {@code @RegisterExtension final LoopbackSwarm swarm = new LoopbackSwarm();}.
 */
final class LoopbackSwarm implements BeforeEachCallback, AfterEachCallback {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> open = new ArrayList<>();
    private Path dir;
    private TrackerServer tracker;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("jtorrent-" + context.getRequiredTestMethod().getName() + "-");
        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
            open.clear();
            tracker.close();
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** The test's own directory, removed after it. */
    Path dir() {
        return dir;
    }

    /** A session on loopback, on any free port. */
    static SessionConfig config() {
        return SessionConfig.builder().bindAddress(LOOPBACK).port(0).build();
    }

    TrackerServer tracker() {
        return tracker;
    }

    Session session() throws IOException {
        return session(config());
    }

    Session session(SessionConfig config) throws IOException {
        return closeLater(Session.start(config));
    }

    /** A session whose torrents' data and resume files go through {@code disk}. */
    Session session(SessionConfig config, ChannelOpener disk) throws IOException {
        return closeLater(Session.start(config, disk));
    }

    /** Adds {@code torrent} to {@code session} over {@code directory}; it is stopped when this closes. */
    TorrentHandle add(Session session, Torrent torrent, Path directory) throws IOException, InterruptedException {
        return add(session, torrent, AddOptions.builder().downloadDirectory(directory).build());
    }

    /** Adds {@code torrent} as {@code options} say, waits for its check, and pauses it at the end of the test. */
    TorrentHandle add(Session session, Torrent torrent, AddOptions options) throws IOException {
        TorrentHandle handle = Adds.added(session, torrent, options);
        open.add(handle::pause);
        return handle;
    }

    /** A seeder of its own for {@code content}, which must be complete. */
    TorrentHandle seed(Torrent torrent, Path content) throws IOException, InterruptedException {
        TorrentHandle seeder = add(session(), torrent, content.getParent());
        if (!seeder.stats().complete()) {
            throw new IllegalStateException("the seeder holds " + seeder.stats().havePieces() + " pieces of "
                    + seeder.stats().pieceCount());
        }
        return seeder;
    }

    /** A directory {@code seed-NAME/NAME} of random files {@code file-0.bin}, {@code file-1.bin}... of these sizes. */
    Path content(String name, long... sizes) throws IOException {
        Path root = Files.createDirectories(dir.resolve("seed-" + name).resolve(name));
        Random random = new Random(name.hashCode());
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = new byte[Math.toIntExact(sizes[i])];
            random.nextBytes(bytes);
            Files.write(root.resolve("file-" + i + ".bin"), bytes);
        }
        return root;
    }

    /** The torrent of {@code content}, announced to this tracker. */
    Torrent torrentOf(Path content, int pieceLength) throws Exception {
        return torrentOf(content, pieceLength, List.of(List.of(tracker.httpAnnounceUrl())));
    }

    /** The torrent of {@code content} with these tracker tiers (none: its peers must be found otherwise). */
    static Torrent torrentOf(Path content, int pieceLength, List<List<String>> trackers) throws Exception {
        TorrentBuilder builder = TorrentBuilder.of(content)
                .withTrackerTiers(trackers)
                .withPieceLength(Optional.of(pieceLength))
                .withCreationDate(Optional.empty());
        return Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
    }

    /** Closed after the test with the rest, before the tracker. */
    <T extends AutoCloseable> T closeLater(T resource) {
        open.add(resource);
        return resource;
    }
}
