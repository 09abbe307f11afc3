package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that ask for much and never read must cost only their own share (issue 13): three of them each queue 1,000
 * requests, spread over a 64 MiB torrent, at a seed and then read nothing more; an honest leecher that comes next
 * still downloads everything at once.
 *
 * <p>Before, each block queued for them held its whole piece in the seed's upload memory, which they filled, so
 * every read for the honest leecher was refused until the seed closed the three for not reading, two minutes on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NonReadingPeersTest {
    private static final int PIECE = 256 * 1024;
    private static final int REQUESTS = 1000;
    /** The leecher needs about a second on loopback; the seed used to keep it waiting for 120. */
    private static final int DOWNLOAD_SECONDS = 30;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void peersThatNeverReadDoNotStarveAnHonestLeecher() throws Exception {
        Path content = swarm.content("data", 24L << 20, 24L << 20, 16L << 20);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session seedSession = swarm.session();
        assertThat(swarm.add(seedSession, torrent, content.getParent()).stats().complete()).isTrue();
        for (int i = 0; i < 3; i++) {
            swarm.closeLater(takeAndNeverRead(seedSession.port(), torrent, new Random(i)));
        }

        Path leech = Files.createDirectories(swarm.dir().resolve("leech"));
        TorrentHandle leecher = swarm.add(swarm.session(), torrent, leech);
        long started = System.nanoTime();
        leecher.completion().get(DOWNLOAD_SECONDS, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(DOWNLOAD_SECONDS);
        assertThat(leecher.stats().complete()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(Files.mismatch(content.resolve("file-" + i + ".bin"),
                    leech.resolve("data").resolve("file-" + i + ".bin"))).isEqualTo(-1);
        }
    }

    /**
     * Connects with a receive buffer of a few KiB, says interested, reads until unchoked, then sends
     * {@link #REQUESTS} requests for blocks all over the torrent and reads nothing more.
     */
    private static Socket takeAndNeverRead(int port, Torrent torrent, Random random) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(LoopbackSwarm.LOOPBACK, port));
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).withFast(true).encode());
        out.write(WireCodec.encode(new Message.Interested()));
        out.flush();
        WireReader in = WireReader.of(socket.getInputStream());
        in.readHandshake();
        while (!(in.read() instanceof Message.Unchoke)) {
            // its bitfield and extension handshake
        }
        int blocksPerPiece = PIECE / 16_384;
        int pieces = torrent.info().pieceCount();
        List<Integer> blocks = new ArrayList<>();
        for (int i = 0; i < pieces * blocksPerPiece; i++) {
            blocks.add(i);
        }
        Collections.shuffle(blocks, random);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int block : blocks.subList(0, REQUESTS)) {
            requests.write(WireCodec.encode(
                    new Message.Request(block / blocksPerPiece, block % blocksPerPiece * 16_384, 16_384)));
        }
        out.write(requests.toByteArray());
        out.flush();
        return socket;
    }
}
