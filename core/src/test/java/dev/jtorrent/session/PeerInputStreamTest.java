package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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

    /** A socket-like stream that hands out at most {@code chunk} bytes per read and counts the reads. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in = new ByteArrayInputStream(DATA);
        private final int chunk;
        int reads;

        Trickle(int chunk) {
            this.chunk = chunk;
        }

        @Override
        public int read() {
            reads++;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            return in.read(b, off, Math.min(len, chunk));
        }

        @Override
        public int available() {
            return Math.min(in.available(), chunk);
        }
    }

    @Test
    void readsEverythingIntoDirectBuffersInAnyMixOfSizes() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(5_000), 4_096);
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
        PeerInputStream stream = new PeerInputStream(new Trickle(3_000), 1_024);
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
    void largeArrayReadsBypassTheBufferAndSmallOnesShareOneSocketRead() throws IOException {
        Trickle socket = new Trickle(Integer.MAX_VALUE);
        PeerInputStream stream = new PeerInputStream(socket, 1_024);
        byte[] large = new byte[2_048];
        assertThat(stream.read(large, 0, large.length)).isEqualTo(2_048);
        assertThat(large).isEqualTo(Arrays.copyOf(DATA, 2_048));
        assertThat(socket.reads).isEqualTo(1);
        for (int i = 0; i < 64; i++) {
            assertThat(stream.read(new byte[16], 0, 16)).isEqualTo(16);
        }
        assertThat(socket.reads).isEqualTo(2); // 64 x 16 bytes = one buffer's worth
    }

    @Test
    void availableAnswersFromTheBufferBeforeAskingTheSocket() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(100), 1_024);
        assertThat(stream.available()).isEqualTo(100); // empty buffer: the socket's answer
        stream.read();
        assertThat(stream.available()).isEqualTo(99); // what is left in the buffer
    }

    @Test
    void aClosedStreamRefusesChannelReads() throws IOException {
        PeerInputStream stream = new PeerInputStream(new Trickle(100), 1_024);
        stream.close();
        assertThat(stream.isOpen()).isFalse();
        assertThatThrownBy(() -> stream.read(ByteBuffer.allocateDirect(8)))
                .isInstanceOf(ClosedChannelException.class);
    }
}
