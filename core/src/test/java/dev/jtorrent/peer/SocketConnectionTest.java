package dev.jtorrent.peer;

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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection puts piece data into a piece only where this peer was asked for it: a block it was never asked for,
 * was refused, or was asked for so long ago that it is forgotten, is dropped, however much the piece wants it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SocketConnectionTest {
    private static final int BLOCK = BlockRef.SIZE;
    private static final int PIECES = 10_000;

    private final PieceBuffers buffers = new PieceBuffers(2 * BLOCK, p -> 2 * BLOCK, 4);
    private final LinkedBlockingQueue<PeerEvent> events = new LinkedBlockingQueue<>();
    /** Events of a burst that {@link #next} has not looked at yet. */
    private final LinkedList<PeerEvent> unread = new LinkedList<>();
    private Socket ours;
    private Socket theirs;
    private WireReader fromUs;
    private PeerConnection connection;

    @BeforeEach
    void connect() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            theirs = new Socket(loopback, server.getLocalPort());
            ours = server.accept();
        }
        fromUs = WireReader.of(theirs.getInputStream());
        Handshake remote = Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-")).withFast(true);
        InputStream input = ours.getInputStream();
        connection = new SocketConnection(ours, remote, false, input, WireReader.of(input),
                WireWriter.of(ours.getOutputStream()),
                new PeerMessageValidator(PIECES, p -> 2 * BLOCK, true, false));
        connection.start(events::add, buffers);
        buffers.open(0);
    }

    @AfterEach
    void close() throws IOException {
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
        theirs.close();
    }

    @Test
    void aBlockThatWasNotRequestedIsDropped() throws Exception {
        sendPiece(0, BLOCK, (byte) 1);

        assertThat(nextBlock())
                .isEqualTo(new PeerEvent.BlockArrived(connection, new BlockRef(0, BLOCK, BLOCK), false));
        assertThat(buffers.claim("another peer", 0, BLOCK, BLOCK)).as("the block is still free").isNotNull();
    }

    @Test
    void aRequestedBlockIsTakenOnce() throws Exception {
        request(0, BLOCK);
        sendPiece(0, BLOCK, (byte) 1);
        sendPiece(0, BLOCK, (byte) 2);

        assertThat(nextBlock().accepted()).isTrue();
        assertThat(nextBlock().accepted()).as("the same block again: answered already").isFalse();
        byte[] data = new byte[BLOCK];
        buffers.get(0).data().get(BLOCK, data);
        assertThat(data).containsOnly(1);
    }

    @Test
    void aBlockThePeerRejectedIsDropped() throws Exception {
        request(0, 0);
        send(new Message.Reject(0, 0, BLOCK));
        sendPiece(0, 0, (byte) 1);

        assertThat(nextBlock().accepted()).isFalse();
    }

    @Test
    void requestsRememberedAreBounded() throws Exception {
        request(0, 0);
        for (int i = 1; i <= Intake.MAX_TRACKED_REQUESTS; i++) {
            request(i, 0);
        }
        sendPiece(0, 0, (byte) 1);

        assertThat(nextBlock().accepted()).as("the oldest request was forgotten").isFalse();
    }

    /**
     * The cap on what waits to be sent counts what a message costs in memory, not only its bytes on the wire: 1.5
     * million rejects are 25 MB on the wire, under the cap, but about 70 MB of objects. The peer reads nothing.
     */
    @Test
    void aPeerThatReadsNothingIsClosedOnceItsQueueHoldsTheCapInMemory() {
        for (int i = 0; i < 1_500_000 && !connection.isClosed(); i++) {
            connection.send(new Message.Reject(0, 0, BLOCK));
            if (i % 1000 == 999) {
                connection.flush();
            }
        }
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void aPeerSilentForThreeMinutesIsClosed() throws Exception {
        assertClosedByTheClockAt(System.nanoTime() + PeerConnection.SILENCE_LIMIT_NANOS,
                "the peer sent nothing for 180 s");
    }

    @Test
    void whatThePeerSendsKeepsItsConnectionOpen() throws Exception {
        long start = System.nanoTime();
        Thread.sleep(10);
        send(new Message.KeepAlive());
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(new PeerEvent.Received(connection,
                new Message.KeepAlive()));

        connection.checkTimers(start + PeerConnection.SILENCE_LIMIT_NANOS + TimeUnit.MILLISECONDS.toNanos(5));

        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void aKeepAliveGoesOutAfterNinetySecondsWithNothingSent() throws Exception {
        long start = System.nanoTime();
        connection.checkTimers(start + PeerConnection.KEEP_ALIVE_NANOS - TimeUnit.SECONDS.toNanos(1));
        connection.send(new Message.Interested());
        connection.flush();
        assertThat(fromUs.read()).as("no keep-alive before it is due").isEqualTo(new Message.Interested());

        connection.checkTimers(System.nanoTime() + PeerConnection.KEEP_ALIVE_NANOS + TimeUnit.SECONDS.toNanos(1));
        connection.flush();

        assertThat(fromUs.read()).isEqualTo(new Message.KeepAlive());
        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void aLentBlockIsReleasedOnceWritten() throws Exception {
        AtomicInteger released = new AtomicInteger();
        connection.send(new Message.Piece(0, 0, ByteBuffer.allocateDirect(BLOCK)), released::incrementAndGet);
        connection.flush();

        Message piece = fromUs.read();
        assertThat(piece).isInstanceOf(Message.Piece.class);
        awaitReleased(released, 1);
    }

    /** The peer reads nothing: blocks pile up behind a full socket, and closing releases every one of them. */
    @Test
    void lentBlocksStillQueuedWhenTheConnectionClosesAreReleased() throws Exception {
        AtomicInteger released = new AtomicInteger();
        int blocks = 1500; // 24 MiB: more than loopback's socket buffers hold, less than the queue's cap
        ByteBuffer data = ByteBuffer.allocateDirect(BLOCK);
        for (int i = 0; i < blocks; i++) {
            connection.send(new Message.Piece(0, 0, data.duplicate()), released::incrementAndGet);
            if (i % 100 == 99) {
                connection.flush();
            }
        }
        Thread.sleep(100);
        assertThat(released.get()).as("some wait behind the full socket").isLessThan(blocks);

        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
        connection.send(new Message.Piece(0, 0, data.duplicate()), released::incrementAndGet);

        awaitReleased(released, blocks + 1);
    }

    /** The peer reads nothing: once the writer has been stuck for two minutes, the connection is closed. */
    @Test
    void aPeerThatTakesNothingWeSendIsClosed() throws Exception {
        ByteBuffer data = ByteBuffer.allocateDirect(BLOCK);
        for (int i = 0; i < 1500; i++) { // 24 MiB: more than loopback's socket buffers hold
            connection.send(new Message.Piece(0, 0, data.duplicate()), () -> { });
        }
        connection.flush();
        Thread.sleep(100);

        assertClosedByTheClockAt(System.nanoTime() + PeerConnection.WRITE_STALL_NANOS,
                "the peer took nothing we sent for 120 s");
    }

    /**
     * A few blocks nobody asked for are forgiven (a late answer to a request forgotten among thousands); past
     * {@link Intake#MAX_UNREQUESTED_BLOCKS}, the peer is closed.
     */
    @Test
    void aPeerThatSendsBlocksNobodyAskedForIsClosed() throws Exception {
        for (int i = 0; i < Intake.MAX_UNREQUESTED_BLOCKS; i++) {
            sendPiece(i, 0, (byte) 1);
            assertThat(nextBlock().accepted()).isFalse();
        }
        assertThat(connection.isClosed()).as("closed after " + Intake.MAX_UNREQUESTED_BLOCKS).isFalse();

        sendPiece(Intake.MAX_UNREQUESTED_BLOCKS, 0, (byte) 1);

        assertThat(nextClosed().reason().toString()).isEqualTo("protocol violation: The peer sent more than "
                + Intake.MAX_UNREQUESTED_BLOCKS + " blocks nobody asked it for.");
    }

    /** A writer stuck in a write marks the peer as one that does not read, ten seconds on; an idle one never. */
    @Test
    void aWriterStuckBehindAPeerThatReadsNothingIsStalled() throws Exception {
        long idleSince = System.nanoTime();
        assertThat(connection.sendStalled(idleSince + PeerConnection.WRITE_STALL_NANOS)).as("idle").isFalse();
        ByteBuffer data = ByteBuffer.allocateDirect(BLOCK);
        for (int i = 0; i < 1500; i++) { // 24 MiB: more than loopback's socket buffers hold
            connection.send(new Message.Piece(0, 0, data.duplicate()), () -> { });
        }
        connection.flush();
        Thread.sleep(100);
        long now = System.nanoTime();

        assertThat(connection.sendStalled(now)).as("stuck for 100 ms").isFalse();
        assertThat(connection.sendStalled(now + PeerConnection.SEND_STALL_NANOS)).as("stuck for 10 s").isTrue();
    }

    /** What counts as uploaded is piece data written to the socket, not what waits in the queue. */
    @Test
    void onlyPieceDataWrittenCountsAsUploaded() throws Exception {
        int blocks = 1500; // 24 MiB: more than loopback's socket buffers hold
        ByteBuffer data = ByteBuffer.allocateDirect(BLOCK);
        connection.send(new Message.Interested());
        for (int i = 0; i < blocks; i++) {
            connection.send(new Message.Piece(0, 0, data.duplicate()), () -> { });
        }
        connection.flush();
        Thread.sleep(200);
        long whileStuck = connection.takePayloadWritten();
        assertThat(whileStuck).as("counted while the peer reads nothing").isLessThan((long) blocks * BLOCK / 2);

        assertThat(fromUs.read()).isEqualTo(new Message.Interested());
        for (int i = 0; i < blocks; i++) {
            assertThat(fromUs.read()).isInstanceOf(Message.Piece.class);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long total = whileStuck;
        while (total < (long) blocks * BLOCK && System.nanoTime() < deadline) {
            Thread.sleep(5);
            total += connection.takePayloadWritten();
        }
        assertThat(total).as("counted once all is read").isEqualTo((long) blocks * BLOCK);
    }

    /** With nothing left to send, a writer that has not written for long is only idle. */
    @Test
    void anIdleWriterIsNotAStuckOne() throws Exception {
        connection.send(new Message.Interested());
        connection.flush();
        assertThat(fromUs.read()).isEqualTo(new Message.Interested());
        Thread.sleep(50);

        connection.checkTimers(System.nanoTime() + PeerConnection.WRITE_STALL_NANOS + TimeUnit.SECONDS.toNanos(1));

        assertThat(connection.isClosed()).isFalse();
    }

    /** What is sent waits for the flush, and then goes out whole and in order. */
    @Test
    void messagesGoOutAtTheFlushInTheOrderSent() throws Exception {
        connection.send(new Message.Interested());
        for (int i = 0; i < 100; i++) {
            connection.send(new Message.Request(i, 0, BLOCK));
        }
        theirs.setSoTimeout(200);
        assertThatThrownBy(() -> theirs.getInputStream().read()).as("nothing before the flush")
                .isInstanceOf(SocketTimeoutException.class);
        theirs.setSoTimeout(0);

        connection.flush();

        assertThat(fromUs.read()).isEqualTo(new Message.Interested());
        for (int i = 0; i < 100; i++) {
            assertThat(fromUs.read()).isEqualTo(new Message.Request(i, 0, BLOCK));
        }
    }

    /** Lent blocks sent but not yet flushed when the connection closes go back at the flush, unsent. */
    @Test
    void lentBlocksNotYetFlushedWhenTheConnectionClosesAreReleased() throws Exception {
        AtomicInteger released = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            connection.send(new Message.Piece(0, 0, ByteBuffer.allocateDirect(BLOCK)), released::incrementAndGet);
        }
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
        assertThat(released.get()).as("not before the flush").isZero();

        connection.flush();

        assertThat(released.get()).isEqualTo(3);
    }

    /** Messages that arrive together reach the swarm as one burst, in order. */
    @Test
    void messagesThatArriveTogetherAreHandedOverAsOneBurst() throws Exception {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(WireCodec.encode(new Message.Have(1)));
        both.write(WireCodec.encode(new Message.Have(2)));
        theirs.getOutputStream().write(both.toByteArray());
        theirs.getOutputStream().flush();

        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(new PeerEvent.Burst(connection, List.of(
                new PeerEvent.Received(connection, new Message.Have(1)),
                new PeerEvent.Received(connection, new Message.Have(2)))));
    }

    /**
     * A writer that fails with something other than an I/O error closes the connection: left open, what is queued
     * later would wait for a writer that is gone, and the lent blocks among it would never be released.
     */
    @Test
    void aWriterThatFailsUnexpectedlyClosesTheConnection() throws Exception {
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new IllegalStateException("broken");
            }
        };
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "replaced by one whose output fails"));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket peer = new Socket(loopback, server.getLocalPort());
             Socket socket = server.accept()) {
            InputStream input = socket.getInputStream();
            PeerConnection failed = new SocketConnection(socket,
                    Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-")), false, input,
                    WireReader.of(input), WireWriter.of(failing),
                    new PeerMessageValidator(PIECES, p -> 2 * BLOCK, true, false));
            failed.start(events::add, buffers);

            failed.send(new Message.Interested());
            failed.flush();

            PeerEvent.Closed closed = nextClosed();
            while (closed.connection() != failed) {
                closed = nextClosed();
            }
            assertThat(closed.reason().toString()).startsWith("internal error writing to the peer");
            AtomicInteger released = new AtomicInteger();
            failed.send(new Message.Piece(0, 0, ByteBuffer.allocateDirect(BLOCK)), released::incrementAndGet);
            assertThat(released.get()).as("a block sent after it is released at once").isEqualTo(1);
        }
    }

    /** Sends a request as the swarm does, and waits until it has gone out. */
    private void request(int piece, int begin) throws IOException {
        connection.send(new Message.Request(piece, begin, BLOCK));
        connection.flush();
        assertThat(fromUs.read()).isEqualTo(new Message.Request(piece, begin, BLOCK));
    }

    private void sendPiece(int piece, int begin, byte fill) throws IOException {
        byte[] data = new byte[BLOCK];
        Arrays.fill(data, fill);
        send(new Message.Piece(piece, begin, ByteBuffer.wrap(data)));
    }

    private void send(Message message) throws IOException {
        theirs.getOutputStream().write(WireCodec.encode(message));
        theirs.getOutputStream().flush();
    }

    /** The swarm's clock a second before {@code limit} leaves the connection open, and a second after closes it. */
    private void assertClosedByTheClockAt(long limit, String reason) throws InterruptedException {
        connection.checkTimers(limit - TimeUnit.SECONDS.toNanos(1));
        assertThat(connection.isClosed()).as("closed a second early").isFalse();

        connection.checkTimers(limit + TimeUnit.SECONDS.toNanos(1));

        assertThat(nextClosed().reason().toString()).isEqualTo(reason);
    }

    private static void awaitReleased(AtomicInteger released, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (released.get() != count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(released.get()).as("blocks released").isEqualTo(count);
    }

    private PeerEvent.Closed nextClosed() throws InterruptedException {
        return next(PeerEvent.Closed.class);
    }

    private PeerEvent.BlockArrived nextBlock() throws InterruptedException {
        return next(PeerEvent.BlockArrived.class);
    }

    /** The next event of the type, skipping others and looking into bursts; fails after 5 s without any event. */
    private <T extends PeerEvent> T next(Class<T> type) throws InterruptedException {
        while (true) {
            PeerEvent event = unread.isEmpty() ? events.poll(5, TimeUnit.SECONDS) : unread.poll();
            assertThat(event).as("an event").isNotNull();
            if (event instanceof PeerEvent.Burst burst) {
                unread.addAll(0, burst.events());
            } else if (type.isInstance(event)) {
                return type.cast(event);
            }
        }
    }
}
