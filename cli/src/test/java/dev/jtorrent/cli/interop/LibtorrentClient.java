package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * libtorrent 2.0 (rasterbar, through Debian's python3-libtorrent) seeding or downloading through
 * {@code libtorrent-peer.py}, which holds the recipe (TCP only, peers from the tracker only): the script is copied to
 * the work directory and run by {@link Libtorrent#python()}. It prints the payload bytes uploaded so far as they grow
 * ({@link #uploaded}), and "seeding" once libtorrent holds every piece.
 *
 * <ul>
 *   <li>Seeding: seed mode (no full check at start, each piece verified on its first request); {@link #start} returns
 *       once the script prints "seeding". It takes an upload limit.</li>
 *   <li>Downloading: the script exits once libtorrent holds every piece and prints one JSON line with
 *       {@code "complete": true} and how many blocks came from each peer address ({@link #blocksFrom}).</li>
 * </ul>
 *
 * <p>{@link #withOptions} passes the script's options for peers that come from no tracker: peers to connect to,
 * peer exchange off, a download limit, and a line for each peer connected ({@link #awaitPeer}).
 */
final class LibtorrentClient extends ReferenceClient {

    private static final String SCRIPT = "libtorrent-peer.py";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** The download script's own deadline; the test's, given to {@link #awaitComplete}, is shorter. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 3600;

    private static final String PEER_LINE = "peer ";

    private final long uploadLimit;
    private final List<String> options;

    LibtorrentClient(Role role) {
        this(role, 0, List.of());
    }

    private LibtorrentClient(Role role, long uploadLimit, List<String> options) {
        super("libtorrent", role);
        this.uploadLimit = uploadLimit;
        this.options = List.copyOf(options);
    }

    @Override
    public LibtorrentClient withUploadLimit(long bytesPerSecond) {
        if (role != Role.SEED) {
            throw new UnsupportedOperationException("libtorrent-peer.py takes an upload limit when it seeds only");
        }
        return new LibtorrentClient(role, bytesPerSecond, options);
    }

    /**
     * This client started with the script's {@code options} ({@code --connect IP:PORT}, {@code --no-pex},
     * {@code --download-limit B}, {@code --report-peers}; see the script) after its arguments.
     */
    LibtorrentClient withOptions(String... more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return new LibtorrentClient(role, uploadLimit, all);
    }

    @Override
    void launch(Path torrent, Path saveDir, String ip, int port) {
        Libtorrent libtorrent = Libtorrent.require();
        Path script = workDir.resolve(SCRIPT);
        try {
            Files.writeString(script, Libtorrent.resource(SCRIPT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(libtorrent.python().toString(), script.toString(),
                role.name().toLowerCase(Locale.ROOT), torrent.toString(), saveDir.toString(), ip,
                Integer.toString(port)));
        command.add(switch (role) {
            case SEED -> Long.toString(uploadLimit);
            case LEECH -> Long.toString(SCRIPT_TIMEOUT_SECONDS);
        });
        command.addAll(options);
        startProcess(command, Map.of());
        if (role == Role.SEED) {
            process.awaitLine("seeding", READY_TIMEOUT);
        }
    }

    @Override
    void awaitDownloaded(Duration timeout) {
        OptionalInt exit = process.awaitExit(timeout);
        if (exit.isEmpty()) {
            throw new AssertionError("libtorrent was not complete after " + timeout + "\n" + describe());
        }
        String report = lastJsonLine();
        if (exit.getAsInt() != 0 || !Boolean.TRUE.equals(JsonReader.readObject(report).get("complete"))) {
            throw new AssertionError("libtorrent exited with code " + exit.getAsInt() + " and report " + report + "\n"
                    + describe());
        }
    }

    /**
     * How many 16 KiB blocks libtorrent received from each peer address, from the download script's report; call
     * after {@link #awaitComplete} returned.
     */
    @Override
    public Map<String, Long> blocksFrom() {
        Map<String, Long> blocks = new TreeMap<>();
        if (JsonReader.readObject(lastJsonLine()).get("blocksFrom") instanceof Map<?, ?> counted) {
            counted.forEach((address, count) -> blocks.put((String) address, ((Number) count).longValue()));
        }
        return blocks;
    }

    /** The download script's report: the last line of its output that is a JSON object (its log lines are not). */
    private String lastJsonLine() {
        try {
            return Files.readString(process.log(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{"))
                    .reduce((first, second) -> second).orElse("{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload bytes libtorrent has uploaded so far, from the "uploaded N" lines its script prints; 0 before. */
    long uploaded() {
        try {
            return Files.readAllLines(process.log()).stream().filter(line -> line.startsWith("uploaded "))
                    .reduce((first, second) -> second).map(line -> Long.parseLong(line.substring(9).strip()))
                    .orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until libtorrent reports a connected peer (with {@code --report-peers}) that {@code wanted} accepts, and
     * returns it: its {@code ip}, {@code port}, {@code source} (a list such as {@code ["pex"]}) and {@code outgoing}.
     * Fails with the client's log after {@code timeout}, or at once if it exits.
     */
    Map<String, Object> awaitPeer(String what, Predicate<Map<String, Object>> wanted, Duration timeout) {
        return Await.until("libtorrent to report " + what, timeout, () -> {
            Optional<Map<String, Object>> peer = peers().stream().filter(wanted).findFirst();
            if (peer.isEmpty()) {
                process.requireAlive();
            }
            return peer;
        }, this::describe);
    }

    /** The peers libtorrent reported so far, from its "peer {JSON}" lines. */
    List<Map<String, Object>> peers() {
        try {
            return Files.readString(process.log(), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.startsWith(PEER_LINE))
                    .map(line -> JsonReader.readObject(line.substring(PEER_LINE.length()))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the client now, as a crash would; {@link #close()} after this is harmless. */
    void kill() {
        close();
    }
}
