package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.SocketConnection;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that asks for much and reads nothing is choked once the seed's writer has been stuck on it for
 * {@link PeerConnection#SEND_STALL_NANOS}, and its requests not yet served are rejected (BEP 6), so that it holds
 * neither an upload slot nor memory beyond the blocks already on their way to it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StalledPeerTest {
    private static final int BLOCK = BlockRef.SIZE;
    private static final int PIECE = 16 * BLOCK;
    private static final int PIECES = 256;
    private static final int REQUESTS = 1000;

    private final ExecutorService disk = Executors.newFixedThreadPool(2);
    private Swarm swarm;
    private Socket socket;
    private SocketConnection connection;

    @BeforeEach
    void startSwarm() throws IOException {
        InfoDictionary info = new InfoDictionary("stall", PIECE, new byte[20 * PIECES], false,
                List.of(FileEntry.of(List.of("stall"), (long) PIECE * PIECES, 0)), false, Optional.empty(), false);
        MemoryStorage storage = new MemoryStorage(PieceMap.of(info));
        for (int i = 0; i < PIECES; i++) {
            storage.writePiece(i, ByteBuffer.allocate(PIECE));
        }
        InfoHash infoHash = InfoHash.of(new byte[20]);
        swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), SwarmConfig.DEFAULT, storage,
                PieceSet.all(PIECES), new PieceSet(PIECES), disk, (address, s) -> { }, () -> { },
                PieceRecorder.NONE, new SplittableRandom(1));
        swarm.start();

        InetAddress loopback = InetAddress.getLoopbackAddress();
        Socket ours;
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            socket = new Socket();
            socket.setReceiveBufferSize(4096); // so that the seed's writer is stuck soon
            socket.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            ours = server.accept();
        }
        InputStream input = ours.getInputStream();
        Handshake remote = Handshake.of(infoHash, PeerId.random("-XX0000-")).withFast(true);
        connection = SocketConnection.open(ours, remote, false, input, WireReader.of(input),
                WireWriter.of(ours.getOutputStream()), info);
        swarm.accept(connection);
        socket.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws IOException {
        swarm.stop();
        socket.close();
        disk.shutdownNow();
    }

    @Test
    void aPeerThatReadsNothingIsChokedAndItsWaitingRequestsRejected() throws Exception {
        WireReader fromSwarm = WireReader.of(socket.getInputStream());
        send(WireCodec.encode(new Message.Interested()));
        while (!(fromSwarm.read() instanceof Message.Unchoke)) {
            // HaveAll first
        }
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int i = 0; i < REQUESTS; i++) {
            int block = i * 7 % (PIECES * PIECE / BLOCK); // all over the torrent
            requests.write(WireCodec.encode(new Message.Request(block / 16, block % 16 * BLOCK, BLOCK)));
        }
        send(requests.toByteArray());
        awaitStuckWriter();

        swarm.tickAt(System.nanoTime() + PeerConnection.SEND_STALL_NANOS + TimeUnit.SECONDS.toNanos(1));

        int pieces = 0;
        int rejects = 0;
        boolean choked = false;
        while (pieces + rejects < REQUESTS) {
            Message message = fromSwarm.read();
            if (message instanceof Message.Piece) {
                assertThat(choked).as("a block after the choke").isFalse();
                pieces++;
            } else if (message instanceof Message.Choke) {
                choked = true;
            } else if (message instanceof Message.Reject) {
                assertThat(choked).as("choke first, then reject (BEP 6)").isTrue();
                rejects++;
            }
        }
        assertThat(choked).isTrue();
        // What the socket's buffers took, and what the peer's memory allowance let go behind it (about 200 here).
        assertThat(pieces).as("blocks sent before the choke").isLessThan(REQUESTS / 2);
        assertThat(rejects).as("every request not served was rejected").isEqualTo(REQUESTS - pieces);
    }

    /**
     * Waits until the seed's writer has filled the socket and is stuck in a write: seen stuck at three looks 50 ms
     * apart, since between writes it is busy for moments at a time. A fixed wait was too short on a loaded machine.
     */
    private void awaitStuckWriter() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int seen = 0; seen < 3; ) {
            assertThat(System.nanoTime()).as("the writer is stuck within 10 s").isLessThan(deadline);
            Thread.sleep(50);
            // A time far enough ahead that a writer in a write at all counts as stuck.
            seen = connection.sendStalled(System.nanoTime() + 2 * PeerConnection.SEND_STALL_NANOS) ? seen + 1 : 0;
        }
    }

    private void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }
}
