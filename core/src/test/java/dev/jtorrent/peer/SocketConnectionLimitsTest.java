package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.PieceBuffers;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's reader held back by a download limit, over loopback: lifted while the reader waits, the limit lets
 * it read on at once. At the old rate, 1 KiB/s, the block it waits after takes 16 s; the tests give it 5.
 */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class SocketConnectionLimitsTest {
    private static final int BLOCK = BlockRef.SIZE;
    private static final long KIB = 1024;

    private final PieceBuffers buffers = new PieceBuffers(2 * BLOCK, p -> 2 * BLOCK, 4);
    private final LinkedBlockingQueue<PeerEvent.BlockArrived> blocks = new LinkedBlockingQueue<>();
    private Socket ours;
    private Socket theirs;
    private PeerConnection connection;

    @BeforeEach
    void connect() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            theirs = new Socket(loopback, server.getLocalPort());
            ours = server.accept();
        }
    }

    @AfterEach
    void close() throws IOException {
        if (connection != null) {
            connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
        }
        theirs.close();
    }

    @Test
    void aReaderHeldBackByTheTorrentsLimitReadsOnAtOnceWhenItIsLifted() throws Exception {
        DownloadLimit limit = new DownloadLimit(KIB, System.nanoTime()); // the burst is one block
        start(RateBudget.unlimited(), limit);
        sendBlocks(3);
        awaitBlocks(2); // the second is past the burst: its reader waits 16 s before it reads the third

        limit.setBytesPerSecond(0, System.nanoTime());

        assertThat(blocks.poll(5, TimeUnit.SECONDS)).as("the third block").isNotNull();
    }

    @Test
    void aReaderHeldBackByTheSessionsRateReadsOnAtOnceWhenItIsLifted() throws Exception {
        RateBudget download = new RateBudget(KIB);
        start(download, DownloadLimit.NONE);
        sendBlocks(4);
        awaitBlocks(3); // the session's budget counts the bytes before a block: the third waits 16 s

        download.setBytesPerSecond(0);

        assertThat(blocks.poll(5, TimeUnit.SECONDS)).as("the fourth block").isNotNull();
    }

    private void start(RateBudget download, DownloadLimit limit) throws IOException {
        Handshake remote = Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-")).withFast(true);
        InputStream input = ours.getInputStream();
        connection = SocketConnection.open(ours, remote, false, input, WireReader.of(input),
                WireWriter.of(ours.getOutputStream()), new PeerMessageValidator(10, p -> 2 * BLOCK, true, false),
                download);
        connection.start(this::collectBlocks, buffers, limit);
    }

    /** Blocks nobody asked for (dropped, but counted against the limits all the same), all at once. */
    private void sendBlocks(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            theirs.getOutputStream().write(WireCodec.encode(new Message.Piece(i, 0, ByteBuffer.allocate(BLOCK))));
        }
        theirs.getOutputStream().flush();
    }

    private void collectBlocks(PeerEvent event) {
        switch (event) {
            case PeerEvent.BlockArrived block -> blocks.add(block);
            case PeerEvent.Burst burst -> burst.events().forEach(this::collectBlocks);
            default -> { }
        }
    }

    private void awaitBlocks(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertThat(blocks.poll(5, TimeUnit.SECONDS)).as("block %d", i).isNotNull();
        }
        assertThat(blocks).as("held back").isEmpty();
    }
}
