package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer exchange (BEP 11, {@code ut_pex}) between jtorrent and libtorrent on loopback, with no tracker, both ways: a
 * peer connects to a third that it was never told of, only named in the PEX message of the peer it was given.
 *
 * <p>The recipe (the shared notes on libtorrent's ut_pex): A seeds; B connects to A first, with its own peer exchange
 * off (else it hears of C from A and dials C first) and its download limited (a seed would be dropped by the other
 * seed, and there would be nothing of B left to tell); then C is given A alone. A lists B to C in its first message,
 * which libtorrent sends on its next 1-second tick, jtorrent at its first tick a second after C's handshake; A must
 * already know B's listen port from B's extension handshake when that happens, hence the pause between the two.
 */
class PeerExchangeIT {

    /** 16 MiB: B, held to 200 kB/s, takes 80 s to finish, far longer than either test. */
    private static final long CONTENT_SIZE = 16 * 1024 * SampleContent.KIB;
    private static final String LEECHER_LIMIT = "200000";
    /**
     * jtorrent C's download limit: 8 s for the content. Unlimited, it has everything from A within a second on
     * loopback, and as a seed it may have dropped A and B again before anyone looks.
     */
    private static final long JTORRENT_LIMIT = 2 * 1024 * 1024;
    /** Time for B's extension handshake to reach A after the connection (libtorrent's recipe waits as long). */
    private static final Duration AFTER_B = Duration.ofMillis(1500);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Libtorrent's recipe measured 2 to 4 s from C's connection to A to C's to B; the rest is a loaded machine's. */
    private static final Duration PEX_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    /**
     * libtorrent A seeds and libtorrent B leeches from it; jtorrent C, given A alone, connects to B, which it can
     * only have heard of in A's ut_pex message (jtorrent lists B among its peers, as one it dialled, and B reports C
     * as a peer that dialled it); then its copy is bit-exact.
     */
    @Test
    @Timeout(240) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void jtorrentConnectsToAPeerItLearnedOnlyFromLibtorrentsPex() throws Exception {
        String aIp = "127.0.0.71";
        String bIp = "127.0.0.72";
        String cIp = "127.0.0.73";
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "pex.bin", CONTENT_SIZE, 71);
        Path torrentFile = dir.resolve("pex.torrent");
        libtorrent.create(content, torrentFile, 0, Libtorrent.Layout.V1, List.of());

        int aPort = Loopback.freePort(aIp);
        LibtorrentClient a = new LibtorrentClient(ReferenceClient.Role.SEED);
        started.add(a);
        a.start(torrentFile, content.getParent(), aIp, aPort);
        LibtorrentClient b = leecherConnectingTo(aIp, aPort, "--no-pex");
        started.add(b);
        b.start(torrentFile, dir.resolve("b"), bIp, Loopback.freePort(bIp));
        b.awaitPeer("its connection to A", peer -> aIp.equals(peer.get("ip")), CONNECT_TIMEOUT);
        Thread.sleep(AFTER_B.toMillis());

        Session c = Session.start(SessionConfig.builder().bindAddress(Loopback.address(cIp)).port(0).build());
        started.add(c);
        Path downloads = dir.resolve("c");
        Files.createDirectories(downloads);
        TorrentHandle handle = c.add(Torrent.load(torrentFile), AddOptions.builder().downloadDirectory(downloads)
                .downloadLimit(JTORRENT_LIMIT).build());
        handle.checked().get(30, TimeUnit.SECONDS);
        handle.addPeer(new InetSocketAddress(Loopback.address(aIp), aPort));

        String context = a.describe() + "\n" + b.describe();
        PeerStatus bSeenByC = Await.until("jtorrent to connect to B", PEX_TIMEOUT,
                () -> handle.peers().stream().filter(peer -> peer.address().getAddress().getHostAddress().equals(bIp))
                        .findFirst(), () -> context + "\njtorrent's peers: " + handle.peers());
        assertThat(bSeenByC.flags()).as("jtorrent dialled B").contains(PeerStatus.Flag.OUTGOING);
        b.awaitPeer("jtorrent, dialling it", peer -> cIp.equals(peer.get("ip")) && Boolean.FALSE.equals(
                peer.get("outgoing")), CONNECT_TIMEOUT);

        handle.completion().get(DOWNLOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        SameContent.assertIdentical(content, downloads.resolve("pex.bin"), context);
    }

    /**
     * jtorrent A seeds; libtorrent B and then libtorrent C connect to it; C connects to B, and libtorrent says it
     * found B through peer exchange.
     */
    @Test
    @Timeout(240) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void libtorrentConnectsToAPeerItLearnedOnlyFromJtorrentsPex() throws Exception {
        String aIp = "127.0.0.74";
        String bIp = "127.0.0.75";
        String cIp = "127.0.0.76";
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "pex.bin", CONTENT_SIZE, 74);
        Path torrentFile = dir.resolve("pex.torrent");
        libtorrent.create(content, torrentFile, 0, Libtorrent.Layout.V1, List.of());

        int aPort = Loopback.freePort(aIp);
        JtorrentSeeder a = new JtorrentSeeder(dir.resolve("jtorrent"));
        started.add(a);
        a.start(torrentFile, content.getParent(), aIp, aPort);
        LibtorrentClient b = leecherConnectingTo(aIp, aPort, "--no-pex");
        started.add(b);
        b.start(torrentFile, dir.resolve("b"), bIp, Loopback.freePort(bIp));
        b.awaitPeer("its connection to A", peer -> aIp.equals(peer.get("ip")), CONNECT_TIMEOUT);
        Thread.sleep(AFTER_B.toMillis());

        LibtorrentClient c = leecherConnectingTo(aIp, aPort);
        started.add(c);
        c.start(torrentFile, dir.resolve("c"), cIp, Loopback.freePort(cIp));
        c.awaitPeer("its connection to A", peer -> aIp.equals(peer.get("ip")), CONNECT_TIMEOUT);

        Map<String, Object> bSeenByC = c.awaitPeer("B, found through peer exchange",
                peer -> bIp.equals(peer.get("ip")), PEX_TIMEOUT);
        String context = a.describe() + "\n" + b.describe() + "\n" + c.describe();
        assertThat(bSeenByC.get("source")).as("how libtorrent found B\n%s", context).isEqualTo(List.of("pex"));
        assertThat(bSeenByC.get("outgoing")).as("libtorrent dialled B\n%s", context).isEqualTo(true);
        a.requireAlive();
    }

    /** A libtorrent leecher that stays one, reporting its peers, connecting to {@code ip:port} only. */
    private static LibtorrentClient leecherConnectingTo(String ip, int port, String... more) {
        return new LibtorrentClient(ReferenceClient.Role.LEECH)
                .withOptions("--connect", ip + ":" + port, "--download-limit", LEECHER_LIMIT, "--report-peers")
                .withOptions(more);
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }
}
