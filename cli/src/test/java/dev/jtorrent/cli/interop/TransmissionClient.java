package dev.jtorrent.cli.interop;

import static dev.jtorrent.cli.interop.TransmissionRpc.quote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Transmission 3.00 seeding or downloading: {@code transmission-daemon -f} with a configuration directory of its own,
 * driven over its JSON RPC ({@link TransmissionRpc}).
 *
 * <p>The recipe that works, and why:
 * <ul>
 *   <li>the daemon, not {@code transmission-cli}: the daemon takes the torrent over RPC with a {@code download-dir}
 *       (data it already holds it verifies on its own: status "check", then "seed"), and its status can be polled,
 *       so the test knows when it seeds or has finished instead of scraping a progress line. With transmission-cli the
 *       first trials never connected as a leecher; as a seeder the daemon announced and served on the first try.</li>
 *   <li>{@code bind-address-ipv4} binds the peer socket, and Transmission also uses it for its tracker traffic: the
 *       HTTP announces (libcurl) and the UDP announces (its one UDP socket on the peer port), so the tracker records
 *       this client's own address. {@code rpc-bind-address} keeps the RPC on 127.0.0.1 and a free port; the RPC needs
 *       no password and no whitelist there.</li>
 *   <li>DHT, local peer discovery, PEX, uTP and port forwarding off; without the last, NAT-PMP alone costs seconds.
 *       {@code rename-partial-files} is off so the files have their own names all along.</li>
 *   <li>It does not hurry: a new peer stays choked until Transmission's next rechoke, which runs every 10 seconds
 *       (seen here: connected at 0.5 s, interested at 1.5 s, unchoked at 7 s), and then it uploaded at only about
 *       1 MB/s to libtorrent on loopback, so the 3.6 MB of the swarm tests take about 12 s.</li>
 *   <li>Transmission drops the peers a tracker lists on 127.0.0.0/8 (they are "martian" to it), so as a leecher it
 *       never dials the seed; the seed has to dial it, which it does only for peers its own announces return. A test
 *       must therefore start it first and let it announce, then start the seed
 *       ({@link LeecherClient#dialsLoopbackPeers}).</li>
 *   <li>Transmission writes blocks through a cache: a complete download can still have data in it. So once
 *       {@code percentDone} is 1 (every piece downloaded and verified) the torrent is stopped over RPC, which flushes
 *       the cache and closes its files before the RPC returns (the RPC runs in libtransmission's event thread, where
 *       the stop runs at once), and only then are the files compared.</li>
 * </ul>
 */
final class TransmissionClient extends ReferenceClient {

    private static final ExternalTool TOOL = new ExternalTool("transmission-daemon", "transmission-daemon");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int STATUS_STOPPED = 0;
    private static final int STATUS_SEED = 6;

    /** Transmission's "encryption" setting: 0 tolerated, 1 preferred (its default), 2 required. */
    private final int encryption;
    private TransmissionRpc rpc;
    private String lastStatus = "(none yet)";

    TransmissionClient(Role role) {
        this(role, 1);
    }

    private TransmissionClient(Role role, int encryption) {
        super("transmission", role);
        this.encryption = encryption;
    }

    /** This client with protocol encryption required ("encryption": 2): RC4-encrypted peers only. */
    TransmissionClient withEncryptionRequired() {
        return new TransmissionClient(role, 2);
    }

    @Override
    void launch(Path torrent, Path saveDir, String ip, int port) {
        Path executable = TOOL.require();
        int rpcPort = Loopback.freePort(Loopback.TRACKER_IP);
        Path config = workDir.resolve("config");
        try {
            Files.createDirectories(config);
            Files.writeString(config.resolve("settings.json"), """
                    {
                      "bind-address-ipv4": %s,
                      "bind-address-ipv6": "::1",
                      "peer-port": %d,
                      "peer-port-random-on-start": false,
                      "rpc-enabled": true,
                      "rpc-bind-address": "127.0.0.1",
                      "rpc-port": %d,
                      "rpc-authentication-required": false,
                      "rpc-whitelist-enabled": false,
                      "rpc-host-whitelist-enabled": false,
                      "dht-enabled": false,
                      "lpd-enabled": false,
                      "pex-enabled": false,
                      "utp-enabled": false,
                      "encryption": %d,
                      "port-forwarding-enabled": false,
                      "download-dir": %s,
                      "incomplete-dir-enabled": false,
                      "rename-partial-files": false,
                      "watch-dir-enabled": false,
                      "start-added-torrents": true,
                      "message-level": 3
                    }
                    """.formatted(quote(ip), port, rpcPort, encryption, quote(saveDir.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startProcess(List.of(executable.toString(), "-f", "-g", config.toString()), Map.of());
        rpc = new TransmissionRpc(rpcPort, this::describe);
        Loopback.awaitAccepting("transmission's RPC", Loopback.TRACKER_IP, rpcPort, START_TIMEOUT, this::describe);
        String added = rpc.call("""
                {"method": "torrent-add", "arguments": {"metainfo": %s, "download-dir": %s, "paused": false}}
                """.formatted(quote(TransmissionRpc.base64(torrent)), quote(saveDir.toString())));
        if (!added.contains("\"result\":\"success\"") || added.contains("torrent-duplicate")) {
            throw new AssertionError("transmission did not add " + torrent + ": " + added + "\n" + describe());
        }
        if (role == Role.SEED) {
            Await.untilTrue("transmission to verify the data and seed", SEED_TIMEOUT, this::seeding, this::describe);
        }
    }

    private boolean seeding() {
        Map<String, Object> status = status();
        return state(status) == STATUS_SEED && percentDone(status) == 1.0;
    }

    /** Transmission 3.00 never creates zero-length files (issue 417): nothing is ever written to them. */
    @Override
    public boolean createsEmptyFiles() {
        return false;
    }

    @Override
    void awaitDownloaded(Duration timeout) {
        Await.untilTrue("transmission to download everything (percentDone 1)", timeout,
                () -> percentDone(status()) == 1.0, this::describe);
        rpc.call("""
                {"method": "torrent-stop", "arguments": {}}
                """);
        Await.untilTrue("transmission to stop the complete torrent", STOP_TIMEOUT,
                () -> state(status()) == STATUS_STOPPED, this::describe);
    }

    /** The only torrent's status fields; fails at once on a torrent error or a dead daemon. */
    private Map<String, Object> status() {
        process.requireAlive();
        lastStatus = rpc.call("""
                {"method": "torrent-get", "arguments": {"fields": ["status", "percentDone", "leftUntilDone",
                 "peersConnected", "rateDownload", "rateUpload", "error", "errorString"]}}
                """);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> torrents = (List<Map<String, Object>>) ((Map<String, Object>) JsonReader
                .readObject(lastStatus).get("arguments")).get("torrents");
        if (torrents.size() != 1) {
            throw new AssertionError("transmission lists " + torrents.size() + " torrents: " + lastStatus);
        }
        Map<String, Object> status = torrents.get(0);
        if (((Number) status.get("error")).intValue() != 0) {
            throw new AssertionError("transmission reports an error: " + lastStatus + "\n" + describe());
        }
        return status;
    }

    private static double percentDone(Map<String, Object> status) {
        return ((Number) status.get("percentDone")).doubleValue();
    }

    private static int state(Map<String, Object> status) {
        return ((Number) status.get("status")).intValue();
    }

    @Override
    String details() {
        return "--- last torrent-get: " + lastStatus.strip() + "\n";
    }
}
