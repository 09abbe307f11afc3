package dev.jtorrent.peer;

import dev.jtorrent.net.BufferPool;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerInputStreamTest {
    private static final byte[] DATA = randomBytes(100_000);

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SplittableRandom(7).nextBytes(bytes);
        return bytes;
    }

    /** A socket that hands out at most {@code chunk} bytes per read and counts the reads. */
    private static final class Trickle implements PeerInputStream.Source {
        private final ByteBuffer in = ByteBuffer.wrap(DATA).asReadOnlyBuffer();
        private final int chunk;
        private boolean open = true;
        int reads;

        Trickle(int chunk) {
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer destination) {
            reads++;
            if (!in.hasRemaining()) {
                return -1;
            }
            int n = Math.min(chunk, Math.min(destination.remaining(), in.remaining()));
            destination.put(in.slice(in.position(), n));
            in.position(in.position() + n);
            return n;
        }

        @Override
        public int available() {
            return Math.min(in.remaining(), chunk);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Test
    void readsEverythingIntoDirectBuffersInAnyMixOfSizes() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(5_000), new BufferPool(4_096, 1));
        ByteBuffer out = ByteBuffer.allocateDirect(DATA.length);
        SplittableRandom random = new SplittableRandom(11);
        while (out.hasRemaining()) {
            int size = Math.min(out.remaining(), 1 + random.nextInt(20_000));
            ByteBuffer piece = out.slice(out.position(), size);
            while (piece.hasRemaining()) {
                assertThat(stream.read(piece)).isPositive();
            }
            out.position(out.position() + size);
        }
        assertThat(stream.read(ByteBuffer.allocateDirect(1))).isEqualTo(-1);
        byte[] back = new byte[DATA.length];
        out.flip().get(back);
        assertThat(back).isEqualTo(DATA);
    }

    @Test
    void mixesStreamAndChannelReadsInOrder() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(3_000), new BufferPool(1_024, 1));
        byte[] back = new byte[DATA.length];
        int at = 0;
        back[at++] = (byte) stream.read();
        at += stream.read(back, at, 10);
        ByteBuffer direct = ByteBuffer.allocateDirect(5_000);
        while (direct.hasRemaining()) {
            stream.read(direct);
        }
        direct.flip().get(back, at, 5_000);
        at += 5_000;
        ByteBuffer heap = ByteBuffer.wrap(back, at, back.length - at);
        while (heap.hasRemaining() && stream.read(heap) > 0) {
            // until the end
        }
        assertThat(heap.hasRemaining()).isFalse();
        assertThat(back).isEqualTo(DATA);
        assertThat(stream.read()).isEqualTo(-1);
    }

    @Test
    void largeChannelReadsBypassTheBufferAndSmallOnesShareOneSocketRead() throws IOException {
        Trickle socket = new Trickle(Integer.MAX_VALUE);
        PeerInputStream stream = new PeerInputStream(socket, new BufferPool(1_024, 1));
        ByteBuffer large = ByteBuffer.allocateDirect(2_048);
        assertThat(stream.read(large)).isEqualTo(2_048);
        byte[] back = new byte[2_048];
        large.flip().get(back);
        assertThat(back).isEqualTo(Arrays.copyOf(DATA, 2_048));
        assertThat(socket.reads).isEqualTo(1);
        for (int i = 0; i < 64; i++) {
            assertThat(stream.read(new byte[16], 0, 16)).isEqualTo(16);
        }
        assertThat(socket.reads).isEqualTo(2); // 64 x 16 bytes = one buffer's worth
    }

    @Test
    void availableAnswersFromTheBufferBeforeAskingTheSocket() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(100), new BufferPool(1_024, 1));
        assertThat(stream.available()).isEqualTo(100); // empty buffer: the socket's answer
        stream.read();
        assertThat(stream.available()).isEqualTo(99); // what is left in the buffer
    }

    @Test
    void readsFromASocketChannel() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            client.write(ByteBuffer.wrap(DATA, 0, 3_000));
            PeerInputStream stream = PeerInputStream.of(TcpChannel.of(accepted), new BufferPool(1_024, 1));
            byte[] back = new byte[3_000];
            back[0] = (byte) stream.read();
            int at = 1;
            while (at < back.length) {
                at += stream.read(back, at, back.length - at);
            }
            assertThat(back).isEqualTo(Arrays.copyOf(DATA, 3_000));

            client.write(ByteBuffer.wrap(DATA, 3_000, 10));
            while (stream.available() < 10) {
                Thread.onSpinWait();
            }
            client.close();
            assertThat(stream.skip(10)).isEqualTo(10);
            assertThat(stream.read()).isEqualTo(-1);
        }
    }

    /** The buffer is taken at the first read, not before: a connection that is never read takes none. */
    @Test
    void takesItsBufferAtTheFirstReadAndGivesItBackWhenClosed() throws IOException {
        BufferPool pool = new BufferPool(1_024, 1);
        Trickle socket = new Trickle(100);
        PeerInputStream stream = new PeerInputStream(socket, pool);
        assertThat(pool.inUse()).isZero();

        stream.read();
        assertThat(pool.inUse()).isEqualTo(1);
        stream.close();
        stream.close();

        assertThat(pool.inUse()).isZero();
        assertThat(pool.idle()).as("given back once").isEqualTo(1);
        assertThat(socket.isOpen()).isFalse();
    }

    @Test
    void aStreamClosedBeforeItsFirstReadGivesNothingBack() throws IOException {
        BufferPool pool = new BufferPool(1_024, 1);
        PeerInputStream stream = new PeerInputStream(new Trickle(100), pool);

        stream.close();

        assertThat(pool.created()).isZero();
        assertThat(pool.idle()).isZero();
    }

    @Test
    void aClosedStreamRefusesEveryRead() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(100), new BufferPool(1_024, 1));
        stream.read(); // 99 bytes left in the buffer
        stream.close();
        assertThat(stream.isOpen()).isFalse();
        assertThatThrownBy(() -> stream.read(ByteBuffer.allocateDirect(8)))
                .isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(stream::read).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> stream.read(new byte[8], 0, 8)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> stream.skip(8)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(stream::available).isInstanceOf(ClosedChannelException.class);
    }

    /** A read after the close takes no buffer from the pool: it would never be given back. */
    @Test
    void aClosedStreamTakesNoBuffer() throws IOException {
        BufferPool pool = new BufferPool(1_024, 1);
        PeerInputStream stream = new PeerInputStream(new Trickle(100), pool);
        stream.close();

        assertThatThrownBy(stream::read).isInstanceOf(ClosedChannelException.class);

        assertThat(pool.created()).isZero();
    }
}
