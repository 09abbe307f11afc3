package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * libtorrent 2.0 downloading through the same {@code libtorrent-leech.py} as {@link LibtorrentLeecher} (TCP only,
 * peers from the tracker only), but in the background: the script is written to the work directory and run by pid,
 * so a test can start it before the seeder and kill it in {@code @AfterEach}. The script exits once libtorrent
 * holds every piece and prints one JSON line with {@code "complete": true}.
 */
final class LibtorrentBackgroundLeecher implements ReferenceLeecher {

    /** The script's own deadline; the test's, given to {@link #awaitComplete}, is shorter. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 3600;

    private BackgroundProcess process;
    private long started;

    @Override
    public String name() {
        return "libtorrent";
    }

    @Override
    public void start(Path torrent, Path dir, String ip, int port) {
        Libtorrent libtorrent = Libtorrent.require();
        Path workDir = ReferenceLeecher.workDirFor(dir, name());
        Path script = workDir.resolve("libtorrent-leech.py");
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(dir);
            Files.writeString(script, Libtorrent.resource("libtorrent-leech.py"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        started = System.nanoTime();
        process = BackgroundProcess.start(name(), List.of(libtorrent.python().toString(), script.toString(),
                torrent.toString(), dir.toString(), ip, Integer.toString(port), Long.toString(SCRIPT_TIMEOUT_SECONDS)),
                workDir, Map.of("HOME", workDir.toString()));
    }

    @Override
    public Duration awaitComplete(Duration timeout) {
        OptionalInt exit = process.awaitExit(timeout);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (exit.isEmpty()) {
            throw new AssertionError("libtorrent was not complete after " + timeout + "\n" + describe());
        }
        String report = lastJsonLine();
        if (exit.getAsInt() != 0 || !Boolean.TRUE.equals(JsonReader.readObject(report).get("complete"))) {
            throw new AssertionError("libtorrent exited with code " + exit.getAsInt() + " and report " + report + "\n"
                    + describe());
        }
        return elapsed;
    }

    /**
     * How many 16 KiB blocks libtorrent received from each peer address, from the script's report; call after
     * {@link #awaitComplete} returned.
     */
    Map<String, Long> blocksFrom() {
        Map<String, Long> blocks = new TreeMap<>();
        if (JsonReader.readObject(lastJsonLine()).get("blocksFrom") instanceof Map<?, ?> counted) {
            counted.forEach((address, count) -> blocks.put((String) address, ((Number) count).longValue()));
        }
        return blocks;
    }

    /** The script's report: the last line of its output that is a JSON object (the log lines before it are not). */
    private String lastJsonLine() {
        try {
            return Files.readString(process.log(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{"))
                    .reduce((first, second) -> second).orElse("{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
