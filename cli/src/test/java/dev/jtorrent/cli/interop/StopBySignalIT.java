package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.metainfo.Torrent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seed} and {@code tracker}, which run until they are stopped, stopped by signals as a service manager and
 * someone at a terminal stop them: SIGTERM, their normal stop, ends them cleanly with exit code 0, a second SIGTERM
 * during that stop changes nothing, and Ctrl-C (SIGINT) ends them as cleanly with 130, as it does every command;
 * {@code download}, which has an end of its own, exits 143 on SIGTERM. The clients announce to a tracker in this
 * JVM that records each announce's event, so that the test sees {@code stopped} arrive.
 */
@Timeout(120)
class StopBySignalIT {
    private static final String LOOPBACK = "127.0.0.1";
    /** The JVM's start and the check of a few MiB take a second or two; more on a loaded machine. */
    private static final Duration READY = Duration.ofSeconds(60);
    /** A clean stop tells the trackers (15 s at most) and flushes the data; here the tracker answers at once. */
    private static final Duration STOP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final JtorrentCli jtorrent = JtorrentCli.fromBuild();
    private final List<BackgroundProcess> processes = new ArrayList<>();
    private RecordingTracker tracker;

    @BeforeEach
    void startTracker() throws IOException {
        tracker = new RecordingTracker();
    }

    @AfterEach
    void stopAll() {
        processes.forEach(BackgroundProcess::close);
        tracker.close();
    }

    /**
     * SIGTERM: the seed saves its resume data, tells the tracker {@code stopped}, prints its summary and exits 0. The
     * tracker holds its answer to {@code stopped} until a second SIGTERM has come, which must change nothing.
     */
    @Test
    void sigtermStopsTheSeedCleanlyAndItExitsZeroWhateverASecondSigtermDoes() throws Exception {
        Path torrent = album();
        Path resumeFile = dir.resolve("resume").resolve(Torrent.load(torrent).infoHash().hex() + ".resume");
        BackgroundProcess seed = seed(torrent, List.of());
        seed.awaitLineStartingWith("Seeding album ", READY);
        tracker.awaitEvent("started", READY, seed);
        // Written once the seed starts; deleted, so that finding it again shows the stop saved it.
        Await.untilTrue("the seed to save its resume data", READY, () -> Files.isRegularFile(resumeFile),
                seed::describe);
        Files.delete(resumeFile);
        tracker.holdStopped();

        seed.signal("TERM");
        tracker.awaitEvent("stopped", STOP, seed);
        seed.signal("TERM"); // while the seed waits for the tracker's answer to "stopped"
        assertThat(seed.isAlive()).as("the seed, still waiting for the tracker's answer\n%s", seed.describe())
                .isTrue();
        tracker.releaseStopped();

        assertThat(seed.awaitExit(STOP)).as("exit code\n%s", seed.describe()).hasValue(0);
        assertThat(log(seed)).containsPattern(summary("album"));
        assertThat(resumeFile).as("resume data saved by the stop").isNotEmptyFile();
    }

    /** Ctrl-C stops the seed as cleanly, summary and {@code stopped} included, and it exits 130 as ever. */
    @Test
    void ctrlCStopsTheSeedCleanlyAndItExitsWith130() throws Exception {
        // A process started in the background of a shell has SIGINT ignored, and its children with it: env gives
        // the seed the default handling that a command started at a terminal has.
        BackgroundProcess seed = seed(album(), List.of("env", "--default-signal=INT"));
        seed.awaitLineStartingWith("Seeding album ", READY);
        tracker.awaitEvent("started", READY, seed);

        seed.signal("INT");

        assertThat(seed.awaitExit(STOP)).as("exit code\n%s", seed.describe()).hasValue(130);
        assertThat(log(seed)).containsPattern(summary("album"));
        assertThat(tracker.events()).as("the announces' events").endsWith("stopped");
    }

    /**
     * SIGTERM during the check of the data cuts it short: nothing was announced yet, so the seed just says it stopped
     * and exits 0. The check here would take a minute at the least: 16 GiB, of a sparse file that the torrent's made
     * up piece hashes never match, so that an uninterrupted check ends with an error instead.
     */
    @Test
    void sigtermDuringTheCheckStopsTheSeedBeforeItSeedsAndItExitsZero() throws Exception {
        Path data = Files.createDirectories(dir.resolve("big"));
        long length = 16L << 30;
        int pieceLength = 16 << 20;
        try (RandomAccessFile file = new RandomAccessFile(data.resolve("huge.bin").toFile(), "rw")) {
            file.setLength(length);
        }
        byte[] pieces = new byte[(int) (length / pieceLength) * 20];
        Arrays.fill(pieces, (byte) 1);
        BDictionary info = BDictionary.builder().put("length", length).put("name", "huge.bin")
                .put("piece length", pieceLength).put("pieces", BString.of(pieces)).build();
        Path torrent = Files.write(dir.resolve("huge.torrent"), BencodeEncoder.encode(BDictionary.builder()
                .put("announce", tracker.announceUrl()).put("info", info).build()));
        BackgroundProcess seed = BackgroundProcess.start("seed", jtorrent.command(List.of("seed", torrent.toString(),
                "-d", data.toString(), "--bind", LOOPBACK, "--port", "0", "--resume-dir",
                dir.resolve("resume").toString())), dir, Map.of());
        processes.add(seed);
        seed.awaitLine("Checking huge.bin in " + data + "...", READY);

        seed.signal("TERM");

        assertThat(seed.awaitExit(STOP)).as("exit code\n%s", seed.describe()).hasValue(0);
        assertThat(log(seed)).contains("Stopped before seeding huge.bin").doesNotContain("Seeding");
        assertThat(tracker.events()).as("announces").isEmpty();
    }

    /**
     * {@code download} exits 0 only once it did all it was asked: SIGTERM while it seeds for the time asked stops
     * it cleanly, but with 143. (Its data is all there already, so it goes to seeding at once.)
     */
    @Test
    void sigtermStopsADownloadSeedingAfterwardsCleanlyWith143() {
        Path torrent = album();
        BackgroundProcess download = BackgroundProcess.start("download", jtorrent.command(List.of("download",
                torrent.toString(), "-d", dir.resolve("data").toString(), "--bind", LOOPBACK, "--port", "0",
                "--resume-dir", dir.resolve("resume").toString(), "--seed-time", "1h")), dir, Map.of());
        processes.add(download);
        download.awaitLineStartingWith("Downloaded album: ", READY);
        tracker.awaitEvent("started", READY, download);

        download.signal("TERM");

        assertThat(download.awaitExit(STOP)).as("exit code\n%s", download.describe()).hasValue(143);
        assertThat(tracker.events()).as("the announces' events").endsWith("stopped");
    }

    @Test
    void sigtermStopsTheTrackerAndItExitsZero() {
        BackgroundProcess server = tracker(List.of());

        server.signal("TERM");

        assertThat(server.awaitExit(STOP)).as("exit code\n%s", server.describe()).hasValue(0);
    }

    @Test
    void ctrlCStopsTheTrackerWith130() {
        BackgroundProcess server = tracker(List.of("env", "--default-signal=INT"));

        server.signal("INT");

        assertThat(server.awaitExit(STOP)).as("exit code\n%s", server.describe()).hasValue(130);
    }

    /** {@code jtorrent tracker} on a free loopback port, once it says it listens; {@code prefix} comes first. */
    private BackgroundProcess tracker(List<String> prefix) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(jtorrent.command(List.of("tracker", "--bind", LOOPBACK, "--port", "0")));
        BackgroundProcess server = BackgroundProcess.start("tracker", command, dir, Map.of());
        processes.add(server);
        server.awaitLineStartingWith("Tracker listening on http://" + LOOPBACK + ":", READY);
        return server;
    }

    /** A torrent of a 3 MiB file {@code album/track.bin} under {@code dir/data}, announced to {@link #tracker}. */
    private Path album() {
        SampleContent.file(dir.resolve("data").resolve("album"), "track.bin", 3 << 20, 13);
        return jtorrent.create(dir.resolve("data").resolve("album"), dir.resolve("album.torrent"),
                List.of("-t", tracker.announceUrl()));
    }

    /** {@code jtorrent seed TORRENT} of the data under {@code dir/data}, with {@code prefix} before the command. */
    private BackgroundProcess seed(Path torrent, List<String> prefix) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(jtorrent.command(List.of("seed", torrent.toString(), "-d", dir.resolve("data").toString(),
                "--bind", LOOPBACK, "--port", "0", "--resume-dir", dir.resolve("resume").toString())));
        BackgroundProcess seed = BackgroundProcess.start("seed", command, dir, Map.of());
        processes.add(seed);
        return seed;
    }

    /** The line a seed prints last when it stops, with nothing uploaded, since no peer came. */
    private static Pattern summary(String name) {
        return Pattern.compile("(?m)^Stopped seeding " + name + " after \\d+:\\d\\d: uploaded 0 B \\(ratio 0\\.00\\)$");
    }

    private static String log(BackgroundProcess process) throws IOException {
        return Files.readString(process.log(), StandardCharsets.UTF_8);
    }

    /**
     * An HTTP tracker that records the event of each announce ("started", "stopped", "none" for a regular one) and
     * answers with no peers; on request it holds its answer to {@code stopped} back.
     */
    private static final class RecordingTracker implements AutoCloseable {
        private static final Pattern EVENT = Pattern.compile("(?:^|&)event=([a-z]+)");
        private static final byte[] NO_PEERS = BencodeEncoder.encode(BDictionary.builder().put("interval", 1800)
                .put("peers", BString.of(new byte[0])).build());

        private final HttpServer server;
        private final List<String> events = new ArrayList<>();
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean holdStopped;

        RecordingTracker() throws IOException {
            server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 16);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/announce", this::announce);
            server.start();
        }

        String announceUrl() {
            return "http://" + LOOPBACK + ":" + server.getAddress().getPort() + "/announce";
        }

        /** From now on, the answer to {@code stopped} waits for {@link #releaseStopped()}. */
        void holdStopped() {
            holdStopped = true;
        }

        void releaseStopped() {
            release.countDown();
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        void awaitEvent(String event, Duration timeout, BackgroundProcess client) {
            Await.untilTrue("an announce with the event " + event, timeout, () -> events().contains(event),
                    client::describe);
        }

        private void announce(HttpExchange exchange) throws IOException {
            String query = exchange.getRequestURI().getRawQuery();
            Matcher event = EVENT.matcher(query == null ? "" : query);
            String name = event.find() ? event.group(1) : "none";
            synchronized (this) {
                events.add(name);
            }
            if (name.equals("stopped") && holdStopped) {
                try {
                    release.await(STOP.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, NO_PEERS.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(NO_PEERS);
            }
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }
}
