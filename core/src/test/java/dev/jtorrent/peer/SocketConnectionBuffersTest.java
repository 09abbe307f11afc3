package dev.jtorrent.peer;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.BufferPool;
import dev.jtorrent.swarm.PieceBuffers;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's stream and writer, which hold pooled buffers, are closed (and so give their buffers back) on every
 * way a connection ends, each by the one thread that used it and after that thread's last read or write: never
 * while another thread may still be reading into or writing from the buffer. The writer here is the real
 * {@link WireWriter} with a pooled batch; the stream is a stand-in that records who reads it and who closes it
 * ({@code PeerInputStreamTest} shows that the session's stream gives its pooled buffer back when closed).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SocketConnectionBuffersTest {
    private static final int BLOCK = BlockRef.SIZE;

    private final BufferPool batches = new BufferPool(WireWriter.DEFAULT_BATCH_SIZE, 4);
    private final PieceBuffers pieces = new PieceBuffers(2 * BLOCK, p -> 2 * BLOCK, 4);
    private final LinkedBlockingQueue<PeerEvent> events = new LinkedBlockingQueue<>();
    private ServerSocketChannel server;
    private SocketChannel theirs;
    private RecordingInput input;
    private RecordingChannel output;
    private PeerConnection connection;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        theirs = SocketChannel.open(server.getLocalAddress());
        SocketChannel ours = server.accept();
        input = new RecordingInput(ours.socket().getInputStream());
        output = new RecordingChannel(ours);
        connection = new SocketConnection(ours.socket(),
                Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-")).withFast(true), false, input,
                WireReader.of(input), new WireWriter(output, batches),
                new PeerMessageValidator(100, p -> 2 * BLOCK, true, false));
    }

    @AfterEach
    void close() throws IOException {
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
        theirs.close();
        server.close();
    }

    /** The writer fails first (the peer reset the connection), while the reader waits in a read. */
    @Test
    void whenAWriteFailsTheWriterGivesItsBatchBackAndTheReaderItsStream() throws Exception {
        connection.start(events::add, pieces);
        output.failing = true;

        connection.send(new Message.Interested());
        connection.flush();

        assertThat(nextClosed().reason().toString()).startsWith("cannot send to the peer");
        assertEverythingGivenBackByItsOwnThread();
        assertThat(batches.created()).isEqualTo(1);
    }

    /** The reader ends first: the peer closed the connection, while the writer waits for work. */
    @Test
    void whenThePeerClosesBothGiveTheirBuffersBack() throws Exception {
        connection.start(events::add, pieces);
        connection.send(new Message.Interested());
        connection.flush();
        assertThat(WireReader.of(theirs.socket().getInputStream()).read()).isEqualTo(new Message.Interested());

        theirs.close();

        assertThat(nextClosed().reason().toString()).isEqualTo("the peer closed the connection");
        assertEverythingGivenBackByItsOwnThread();
    }

    /**
     * The swarm closes the connection, from its own thread, while the reader waits in a read and the writer is stuck
     * in a write to a peer that reads nothing: the socket's close wakes both, and each gives its buffer back then.
     */
    @Test
    void whenTheSwarmClosesAConnectionStuckInAWriteBothGiveTheirBuffersBack() throws Exception {
        connection.start(events::add, pieces);
        for (int i = 0; i < 1_000; i++) { // 16 MiB, far more than the sockets' buffers hold
            connection.send(new Message.Piece(i % 100, 0, ByteBuffer.allocateDirect(BLOCK)));
        }
        connection.flush();
        await("the writer to be stuck in a write", () -> output.stuckFor(TimeUnit.MILLISECONDS.toNanos(200)));
        assertThat(batches.inUse()).isEqualTo(1);

        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "closed by the swarm"));

        assertThat(nextClosed().reason().toString()).isEqualTo("closed by the swarm");
        assertEverythingGivenBackByItsOwnThread();
    }

    /** A connection the swarm refuses is closed without being started: it never takes a buffer. */
    @Test
    void aConnectionThatIsNeverStartedTakesNothing() {
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "no room for another peer"));

        assertThat(batches.created()).isZero();
        assertThat(input.closedBy).isNull();
        assertThat(output.closedBy).isNull();
    }

    private void assertEverythingGivenBackByItsOwnThread() throws InterruptedException {
        await("the writer's batch to go back", () -> batches.inUse() == 0);
        await("the reader to close its stream", () -> input.closedBy != null);
        assertThat(input.readers).as("one reader").hasSize(1);
        assertThat(input.closedBy).as("closed by its reader").isIn(input.readers);
        assertThat(input.readAfterClose).as("no read after the close").isFalse();
        assertThat(output.closedBy).as("closed by the writer thread").isNotNull().isIn(output.writers);
        assertThat(output.writers).as("one writer").hasSize(1);
        assertThat(output.writeAfterClose).as("no write after the close").isFalse();
    }

    private PeerEvent.Closed nextClosed() throws InterruptedException {
        while (true) {
            PeerEvent event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("an event").isNotNull();
            if (event instanceof PeerEvent.Closed closed) {
                return closed;
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(5);
        }
    }

    /** The connection's input, recording which threads read it, which closed it, and whether a read came after. */
    private static final class RecordingInput extends InputStream {
        private final InputStream in;
        final Set<Thread> readers = ConcurrentHashMap.newKeySet();
        volatile Thread closedBy;
        volatile boolean readAfterClose;

        RecordingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            readers.add(Thread.currentThread());
            readAfterClose |= closedBy != null;
            return in.read(bytes, offset, length);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            closedBy = Thread.currentThread();
            in.close();
        }
    }

    /**
     * The connection's socket as the writer sees it, recording which threads wrote, which closed it, whether a write
     * came after, and since when the write under way has been blocked; it can be told to fail every write.
     */
    private static final class RecordingChannel implements GatheringByteChannel {
        private final SocketChannel socket;
        final Set<Thread> writers = ConcurrentHashMap.newKeySet();
        volatile Thread closedBy;
        volatile boolean writeAfterClose;
        volatile boolean failing;
        /** When the write under way began; 0 when none is. */
        private volatile long writingSince;

        RecordingChannel(SocketChannel socket) {
            this.socket = socket;
        }

        boolean stuckFor(long nanos) {
            long since = writingSince;
            return since != 0 && System.nanoTime() - since > nanos;
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            writers.add(Thread.currentThread());
            writeAfterClose |= closedBy != null;
            if (failing) {
                throw new IOException("Connection reset by peer");
            }
            writingSince = System.nanoTime();
            try {
                return socket.write(sources, offset, length);
            } finally {
                writingSince = 0;
            }
        }

        @Override
        public long write(ByteBuffer[] sources) throws IOException {
            return write(sources, 0, sources.length);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return (int) write(new ByteBuffer[] {source}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public void close() throws IOException {
            closedBy = Thread.currentThread();
            socket.close();
        }
    }
}
