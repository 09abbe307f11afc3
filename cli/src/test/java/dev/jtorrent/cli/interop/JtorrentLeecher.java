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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jtorrent itself downloading: {@code jtorrent download TORRENT -d DIR --port P --bind IP --quiet --verbose} from the
 * shaded jar, in a process of its own. {@code --quiet} drops the progress lines and {@code --verbose} adds the debug
 * log (peer connections, why they closed), which goes with everything else to {@code DIR.jtorrent/jtorrent.log}
 * beside the download directory; a failure quotes its last lines.
 *
 * <p>jtorrent does not report where blocks came from, so {@link Download#blocksFrom()} is empty; the peers it
 * connected to, and how many bytes each sent it, are in the debug log ({@link Running#connectedPeers()},
 * {@link Running#receivedFrom()}).
 */
final class JtorrentLeecher implements Leecher {

    /** Time for the JVM to start, and to announce {@code stopped} after the download has completed. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    private static final Pattern CONNECTED = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+):\\d+: connected \\(");
    /** The debug line of a connection's end, with the payload bytes that went each way over it. */
    private static final Pattern ENDED = Pattern.compile(
            "(?m)(\\d+\\.\\d+\\.\\d+\\.\\d+):\\d+: clos(?:ed|ing): .* \\(received (\\d+) bytes, sent \\d+\\)$");

    @Override
    public String name() {
        return "jtorrent";
    }

    @Override
    public Download download(Path torrent, Path dir, String ip, int port, Duration timeout) {
        try (Running running = start(torrent, dir, ip, port)) {
            return running.await(timeout);
        }
    }

    /** Starts the download and returns at once; close the result to kill jtorrent if it still runs. */
    Running start(Path torrent, Path dir, String ip, int port) {
        return start(torrent, dir, ip, port, List.of());
    }

    /** As {@link #start(Path, Path, String, int)}, with more options for {@code download}. */
    Running start(Path torrent, Path dir, String ip, int port, List<String> options) {
        return start(torrent.toString(), dir, ip, port, options);
    }

    /**
     * As {@link #start(Path, Path, String, int, List)} with any SOURCE {@code download} takes: a .torrent file, its
     * URL, or a magnet link.
     */
    Running start(String source, Path dir, String ip, int port, List<String> options) {
        Path logDir = dir.resolveSibling(dir.getFileName() + ".jtorrent");
        List<String> arguments = new java.util.ArrayList<>(List.of("download", source,
                "-d", dir.toString(), "--port", Integer.toString(port), "--bind", ip, "--quiet", "--verbose"));
        arguments.addAll(options);
        List<String> command = JtorrentCli.fromBuild().command(arguments);
        return new Running(BackgroundProcess.start(name(), command, logDir, Map.of()), ip, port, System.nanoTime());
    }

    /** A jtorrent download under way. */
    static final class Running implements AutoCloseable {

        private final BackgroundProcess process;
        private final String ip;
        private final int port;
        private final long started;

        private Running(BackgroundProcess process, String ip, int port, long started) {
            this.process = process;
            this.ip = ip;
            this.port = port;
            this.started = started;
        }

        /**
         * Waits until jtorrent exits; returns when it exited with 0 (all data verified on disk), fails with its log
         * when it exits otherwise or is still running after {@code timeout} (plus time for the JVM to start).
         */
        Download await(Duration timeout) {
            OptionalInt exit = process.awaitExit(timeout.plus(GRACE));
            long elapsed = System.nanoTime() - started;
            if (exit.isEmpty()) {
                String log = process.describe();
                process.close();
                throw new AssertionError("jtorrent on " + ip + ":" + port + " had not finished after " + timeout
                        + " (killed)\n" + log);
            }
            if (exit.getAsInt() != 0) {
                throw new AssertionError("jtorrent on " + ip + ":" + port + " exited with code " + exit.getAsInt()
                        + "\n" + process.describe());
            }
            return new Download(Duration.ofNanos(elapsed), Map.of());
        }

        /** Whether jtorrent still runs. */
        boolean isAlive() {
            return process.isAlive();
        }

        /** The addresses of the peers jtorrent completed both handshakes with, from its debug log. */
        Set<String> connectedPeers() {
            Set<String> peers = new TreeSet<>();
            try {
                Matcher matcher = CONNECTED.matcher(Files.readString(process.log(), StandardCharsets.UTF_8));
                while (matcher.find()) {
                    peers.add(matcher.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return peers;
        }

        /**
         * The payload bytes jtorrent received from each peer address, from the debug lines it logs as each connection
         * ends (closed by the peer, or closed as jtorrent stops); complete once jtorrent has exited.
         */
        Map<String, Long> receivedFrom() {
            Map<String, Long> received = new TreeMap<>();
            try {
                Matcher matcher = ENDED.matcher(Files.readString(process.log(), StandardCharsets.UTF_8));
                while (matcher.find()) {
                    received.merge(matcher.group(1), Long.parseLong(matcher.group(2)), Long::sum);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return received;
        }

        /** Everything jtorrent has printed and logged so far (each run appends to the same log file). */
        String log() {
            try {
                return Files.readString(process.log(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The command, its state and the last lines of its log. */
        String describe() {
            return process.describe();
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
