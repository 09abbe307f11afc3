package dev.jtorrent.cli.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * qBittorrent 4.5.2 ({@code qbittorrent-nox}, libtorrent 2.0 inside) seeding or downloading, driven over its WebUI
 * API.
 *
 * <p>The recipe: a profile directory of its own ({@code --profile}) with a qBittorrent.conf written before the start.
 * <ul>
 *   <li>{@code LegalNotice\Accepted}: otherwise it waits for someone to accept the legal notice on the terminal.</li>
 *   <li>{@code Session\InterfaceAddress} without an interface name: qBittorrent then hands the address to
 *       libtorrent as both {@code listen_interfaces} and {@code outgoing_interfaces}, so peers and announces come from
 *       it. It logs "Failed to find the configured network address" (127.0.0.x is routed to {@code lo}, not listed on
 *       it) and then "Trying to listen on ... 127.0.0.x:PORT", and does.</li>
 *   <li>{@code Session\BTProtocol=TCP} turns uTP off unless {@link #overUtpOnly} turns TCP off instead. With uTP
 *       off it still logs "Successfully listening on ... UTP/PORT" (libtorrent opens the UDP socket all the same),
 *       but drops every SYN unanswered ({@code enable_incoming_utp} off): a peer dialling it over uTP sees nothing
 *       at all, not a reset. DHT, LSD, PeX, port forwarding (UPnP/NAT-PMP), peer country
 *       lookups (a download of a geolocation database) and queueing are off. Incomplete files keep their names
 *       ({@code AddExtensionToIncompleteFiles} and the temporary path are off).</li>
 *   <li>The WebUI on 127.0.0.1 and a free port with {@code WebUI\LocalHostAuth=false}: requests from localhost need
 *       no login. Host header validation and CSRF protection are off as the requests come from no browser.</li>
 * </ul>
 * The torrent is added with {@code /api/v2/torrents/add} (multipart, {@code savepath} the save directory, checking
 * left on so qBittorrent verifies data it already has) and {@code /api/v2/torrents/info} is polled until progress is 1
 * and the state one of the seeding ones: at once for a seed, once the data has checked out; at the end of a download.
 * A seed's listen port is then probed until it answers a peer (see {@link #takesPeers}).
 * libtorrent moves to seeding only once every piece passed its hash check, and it writes through memory-mapped files,
 * so the data is then what any reader of the files sees.
 */
final class QbittorrentClient extends ReferenceClient {

    private static final ExternalTool TOOL = new ExternalTool("qbittorrent-nox", "qbittorrent-nox");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> SEEDING = Set.of("uploading", "stalledUP", "forcedUP", "queuedUP", "pausedUP");
    private static final Set<String> FAILED = Set.of("error", "missingFiles");
    /** How long a probe of its listen port waits for an answer. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** An MSE public key: 768 bits. */
    private static final int MSE_KEY_BYTES = 96;
    private static final int UTP_HEADER_BYTES = 20;
    private static final int UTP_STATE = 2;
    private static final int UTP_RESET = 3;
    private static final int UTP_SYN = 4;
    private static final Random PROBE_RANDOM = new Random();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private URI api;
    private String hash;
    private String lastInfo = "(none yet)";

    /** qBittorrent's {@code Session\Encryption}: 0 allow (its default), 1 require, 2 disable. */
    private final int encryption;
    /** qBittorrent's {@code Session\BTProtocol}: {@code TCP}, {@code UTP} or {@code Both}. */
    private final String protocol;

    QbittorrentClient(Role role) {
        this(role, 0, "TCP");
    }

    private QbittorrentClient(Role role, int encryption, String protocol) {
        super("qbittorrent", role);
        this.encryption = encryption;
        this.protocol = protocol;
    }

    /** This client with protocol encryption required ({@code Session\Encryption=1}: libtorrent's pe_forced). */
    QbittorrentClient withEncryptionRequired() {
        return new QbittorrentClient(role, 1, protocol);
    }

    /**
     * This client over uTP alone ({@code Session\BTProtocol=UTP}): libtorrent's {@code enable_incoming_utp} and
     * {@code enable_outgoing_utp} on, both TCP settings off. Its TCP listener still accepts, and closes what it
     * accepts at once, as libtorrent does without {@code enable_incoming_tcp}.
     */
    QbittorrentClient overUtpOnly() {
        return new QbittorrentClient(role, encryption, "UTP");
    }

    @Override
    void launch(Path torrent, Path saveDir, String ip, int port) {
        Path executable = TOOL.require();
        int webUiPort = Loopback.freePort(Loopback.TRACKER_IP);
        Path profile = workDir.resolve("profile");
        try {
            Path config = Files.createDirectories(profile.resolve("qBittorrent/config"));
            // QSettings' ini format: a backslash separates the levels of a key, and is written as is.
            Files.writeString(config.resolve("qBittorrent.conf"), """
                    [LegalNotice]
                    Accepted=true

                    [BitTorrent]
                    Session\\InterfaceAddress=%s
                    Session\\Port=%d
                    Session\\BTProtocol=%s
                    Session\\DHTEnabled=false
                    Session\\LSDEnabled=false
                    Session\\PeXEnabled=false
                    Session\\QueueingSystemEnabled=false
                    Session\\AddExtensionToIncompleteFiles=false
                    Session\\TempPathEnabled=false
                    Session\\DefaultSavePath=%s
                    Session\\Encryption=%d

                    [Network]
                    PortForwardingEnabled=false

                    [Preferences]
                    Connection\\ResolvePeerCountries=false
                    General\\UseRandomPort=false
                    WebUI\\Enabled=true
                    WebUI\\Address=127.0.0.1
                    WebUI\\Port=%d
                    WebUI\\LocalHostAuth=false
                    WebUI\\HostHeaderValidation=false
                    WebUI\\CSRFProtection=false
                    """.formatted(ip, port, protocol, saveDir, encryption, webUiPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startProcess(List.of(executable.toString(), "--profile=" + profile), Map.of());
        api = URI.create("http://127.0.0.1:" + webUiPort + "/api/v2/");
        Loopback.awaitAccepting("qBittorrent's WebUI", Loopback.TRACKER_IP, webUiPort, START_TIMEOUT,
                this::describe);
        hash = Harness.infoHashOf(torrent).hex();
        add(torrent, saveDir);
        if (role == Role.SEED) {
            Await.untilTrue("qBittorrent to check the data and seed", SEED_TIMEOUT, this::complete, this::describe);
            Await.untilTrue("qBittorrent to take peers", SEED_TIMEOUT, () -> takesPeers(ip, port), this::describe);
        }
    }

    /**
     * Whether qBittorrent answers a peer now. It reports a torrent seeding as soon as libtorrent has checked it, but
     * keeps it paused inside libtorrent until its next status update, about a second later ("torrent is internally
     * paused ... after files checked" in its TorrentImpl), and while it is, libtorrent closes every incoming
     * connection as it accepts it ("There are no _active_ torrents, disconnect"). A peer that dials it then fails,
     * and waits out its back-off (jtorrent 30 s, libtorrent 120 s). So a seed is started only once a probe gets an
     * answer: over TCP, to 96 bytes that are the start of an MSE handshake (its public key; every policy the tests
     * set answers it with its own); over uTP alone, to a SYN (a STATE, where a refused connection gets a FIN).
     */
    private boolean takesPeers(String ip, int port) throws IOException {
        InetSocketAddress peer = new InetSocketAddress(Loopback.address(ip), port);
        return protocol.equals("UTP") ? answersUtpSyn(peer) : answersMseKey(peer);
    }

    private static boolean answersMseKey(InetSocketAddress peer) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(Loopback.address(Loopback.TRACKER_IP), 0));
            socket.connect(peer, (int) PROBE_TIMEOUT.toMillis());
            socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            byte[] key = new byte[MSE_KEY_BYTES];
            PROBE_RANDOM.nextBytes(key);
            socket.getOutputStream().write(key);
            return socket.getInputStream().read() >= 0;
        } catch (SocketException | SocketTimeoutException closedOrSilent) {
            return false; // reset, or nothing within the probe's time: not yet
        }
    }

    private static boolean answersUtpSyn(InetSocketAddress peer) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(
                Loopback.address(Loopback.TRACKER_IP), 0))) {
            socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            int connectionId = PROBE_RANDOM.nextInt(0x10000);
            socket.send(new DatagramPacket(utpHeader(UTP_SYN, connectionId), UTP_HEADER_BYTES, peer));
            DatagramPacket reply = new DatagramPacket(new byte[UTP_HEADER_BYTES * 4], UTP_HEADER_BYTES * 4);
            socket.receive(reply);
            boolean accepted = reply.getLength() >= UTP_HEADER_BYTES && (reply.getData()[0] & 0xFF) >>> 4 == UTP_STATE;
            if (accepted) {
                // no connection is wanted: a RESET on the id the SYN's answers go to
                socket.send(new DatagramPacket(utpHeader(UTP_RESET, (connectionId + 1) & 0xFFFF), UTP_HEADER_BYTES,
                        peer));
            }
            return accepted;
        } catch (SocketTimeoutException silent) {
            return false;
        }
    }

    /** A uTP header (BEP 29) of {@code type} on {@code connectionId}, without extensions, sequence number 1. */
    private static byte[] utpHeader(int type, int connectionId) {
        return ByteBuffer.allocate(UTP_HEADER_BYTES).put((byte) (type << 4 | 1)).put((byte) 0)
                .putShort((short) connectionId).putInt((int) (System.nanoTime() / 1000)).putInt(0)
                .putInt(1 << 20).putShort((short) 1).putShort((short) 0).array();
    }

    @Override
    void awaitDownloaded(Duration timeout) {
        Await.untilTrue("qBittorrent to download everything", timeout, this::complete, this::describe);
    }

    private void add(Path torrent, Path saveDir) {
        String boundary = "jtorrent-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            part(body, boundary, "name=\"torrents\"; filename=\"" + torrent.getFileName() + "\"",
                    "application/x-bittorrent", Files.readAllBytes(torrent));
            part(body, boundary, "name=\"savepath\"", null, saveDir.toString().getBytes(StandardCharsets.UTF_8));
            part(body, boundary, "name=\"paused\"", null, "false".getBytes(StandardCharsets.UTF_8));
            part(body, boundary, "name=\"autoTMM\"", null, "false".getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("torrents/add"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        if (response.statusCode() != 200 || !response.body().strip().equals("Ok.")) {
            throw new AssertionError("qBittorrent did not add " + torrent + ": HTTP " + response.statusCode() + " "
                    + response.body() + "\n" + describe());
        }
    }

    /** Whether the torrent is complete and seeding; fails at once on a dead client or a torrent in error. */
    private boolean complete() {
        process.requireAlive();
        lastInfo = send(HttpRequest.newBuilder(api.resolve("torrents/info?hashes=" + hash))).body();
        @SuppressWarnings("unchecked")
        List<Object> torrents = (List<Object>) JsonReader.read(lastInfo);
        if (torrents.size() != 1) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) torrents.get(0);
        String state = (String) info.get("state");
        if (FAILED.contains(state)) {
            throw new AssertionError("qBittorrent's torrent is in state " + state + "\n" + describe());
        }
        return SEEDING.contains(state) && ((Number) info.get("progress")).doubleValue() == 1.0;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("qBittorrent WebUI " + api, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void part(ByteArrayOutputStream body, String boundary, String disposition, String type,
            byte[] content) throws IOException {
        StringBuilder head = new StringBuilder("--" + boundary + "\r\nContent-Disposition: form-data; " + disposition
                + "\r\n");
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        body.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    String details() {
        return BackgroundProcess.lastLines(workDir.resolve("profile/qBittorrent/data/logs/qbittorrent.log"), 20)
                + "--- last torrents/info: " + lastInfo.strip() + "\n";
    }
}
