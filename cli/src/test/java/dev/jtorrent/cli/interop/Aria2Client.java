package dev.jtorrent.cli.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * aria2 1.36 ({@code aria2c}) seeding or downloading, configured on its command line alone ({@code --no-conf}).
 *
 * <ul>
 *   <li>{@code --interface} binds the peer socket and the outgoing connections, announces included.</li>
 *   <li>DHT stays on, on a port of its own, for one reason: aria2 sends BEP 15 UDP announces only through its DHT
 *       socket, and with DHT off it logs "udp is not supported yet" and never announces to a {@code udp://} tracker.
 *       With no entry point and a routing table file of its own that starts empty, that DHT knows no node and talks
 *       to nobody. {@link #withDht} gives it an entry point, a port known to the test, and binds its UDP socket to
 *       the client's address ({@code --dht-listen-addr}, an option {@code aria2c --help} does not list; without it
 *       the socket is on 0.0.0.0 and its packets leave from 127.0.0.1). LPD and PEX are off; aria2 has no uTP, UPnP
 *       or NAT-PMP, so it is TCP only anyway.</li>
 *   <li>Seeding: {@code --check-integrity=true} hashes the existing files first (without it, or without
 *       {@code --bt-seed-unverified=true}, aria2 would try to download what it has), and {@code --seed-ratio=0.0}
 *       means seed whatever the ratio, until killed.</li>
 *   <li>Downloading: {@code --seed-time=0} ends it as soon as the download is complete and verified, with exit code
 *       0 (aria2's "all downloads were successful"): that exit is how the test learns it finished.</li>
 * </ul>
 */
final class Aria2Client extends ReferenceClient {

    private final long uploadLimit;
    /** The DHT's UDP port, 0 for any free one. */
    private final int dhtPort;
    /** {@code HOST:PORT} of a DHT node to join through, or null for none. */
    private final String dhtEntryPoint;

    Aria2Client(Role role) {
        this(role, 0, 0, null);
    }

    private Aria2Client(Role role, long uploadLimit, int dhtPort, String dhtEntryPoint) {
        super("aria2", role);
        this.uploadLimit = uploadLimit;
        this.dhtPort = dhtPort;
        this.dhtEntryPoint = dhtEntryPoint;
    }

    @Override
    public Aria2Client withUploadLimit(long bytesPerSecond) {
        return new Aria2Client(role, bytesPerSecond, dhtPort, dhtEntryPoint);
    }

    /**
     * This client with its DHT node on UDP {@code port} of its address, joining the DHT through the node {@code
     * entryPoint} ({@code HOST:PORT}, {@code --dht-entry-point}): a torrent with no tracker is then announced there.
     */
    Aria2Client withDht(int port, String entryPoint) {
        return new Aria2Client(role, uploadLimit, port, entryPoint);
    }

    @Override
    void launch(Path torrent, Path saveDir, String ip, int port) {
        List<String> command = new ArrayList<>(List.of(ExternalTool.ARIA2C.require().toString(),
                "--no-conf=true",
                "--dir=" + saveDir,
                "--interface=" + ip,
                "--listen-port=" + port,
                "--disable-ipv6=true",
                "--enable-dht=true",
                "--dht-listen-port=" + (dhtPort != 0 ? dhtPort : Loopback.freePort(ip)),
                "--dht-file-path=" + workDir.resolve("dht.dat"),
                "--enable-dht6=false",
                "--bt-enable-lpd=false",
                "--enable-peer-exchange=false",
                "--stop-with-process=" + ProcessHandle.current().pid(), // no orphan if the test JVM dies
                "--summary-interval=0",
                "--max-overall-upload-limit=" + uploadLimit, // 0: none
                "--console-log-level=notice",
                "--log=" + detailLog(),
                "--log-level=info"));
        if (dhtEntryPoint != null) {
            command.addAll(List.of("--dht-listen-addr=" + ip, "--dht-entry-point=" + dhtEntryPoint));
        }
        command.addAll(switch (role) {
            case SEED -> List.of("--check-integrity=true", "--seed-ratio=0.0");
            case LEECH -> List.of("--seed-time=0");
        });
        command.add(torrent.toString());
        startProcess(command, Map.of());
        process.requireAlive();
    }

    @Override
    void awaitDownloaded(Duration timeout) {
        OptionalInt exit = process.awaitExit(timeout);
        if (exit.isEmpty()) {
            throw new AssertionError("aria2 was not complete after " + timeout + "\n" + describe());
        }
        if (exit.getAsInt() != 0) {
            throw new AssertionError("aria2 exited with code " + exit.getAsInt() + "\n" + describe());
        }
    }

    @Override
    String details() {
        return BackgroundProcess.lastLines(detailLog(), 30);
    }

    /** aria2's own log ({@code --log-level=info}): every DHT message and peer message it sent or received. */
    Path detailLog() {
        return workDir.resolve("aria2-detail.log");
    }
}
