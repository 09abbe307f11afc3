package dev.jtorrent.mse;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MseChannelTest {
    private static final int SIZE = 3 * 1024 * 1024 + 17;

    @Test
    void carriesMegabytesBothWaysAtOnceWithAReaderAndAWriterThreadOnEachSide() throws Exception {
        try (Loopback link = new Loopback()) {
            MseHandshake mse = new MseHandshake(new SecureRandom());
            Future<MseResult> responder = MseHandshakeTest.async(() -> mse.respond(link.acceptor,
                    ByteBuffer.allocate(0), MseHandshakeTest.OURS, EncryptionPolicy.REQUIRE));
            MseResult initiated = mse.initiate(link.dialer, MseHandshakeTest.TORRENT, EncryptionPolicy.REQUIRE.offered(),
                    ByteBuffer.allocate(0));
            MseChannel a = initiated.channel(link.dialer);
            MseChannel b = responder.get(10, TimeUnit.SECONDS).channel(link.acceptor);

            byte[] one = random(1);
            byte[] two = random(2);
            Future<byte[]> aReads = MseHandshakeTest.async(() -> readAll(a, SIZE));
            Future<byte[]> bReads = MseHandshakeTest.async(() -> readAll(b, SIZE));
            Future<Void> aWrites = MseHandshakeTest.async(() -> writeInPieces(a, one, true));
            writeInPieces(b, two, false);
            aWrites.get(30, TimeUnit.SECONDS);
            assertThat(bReads.get(30, TimeUnit.SECONDS)).isEqualTo(one);
            assertThat(aReads.get(30, TimeUnit.SECONDS)).isEqualTo(two);
        }
    }

    @Test
    void writingLeavesTheCallersBuffersAsTheyWereAndGathersThemInOrder() throws Exception {
        try (Loopback link = new Loopback()) {
            Rc4 ours = Rc4.dropping1024(new byte[20]);
            Rc4 theirs = Rc4.dropping1024(new byte[20]);
            MseChannel a = new MseChannel(link.dialer, ByteBuffer.allocate(0), Rc4.dropping1024(new byte[] {1}), ours);
            MseChannel b = new MseChannel(link.acceptor, ByteBuffer.allocate(0), theirs, Rc4.dropping1024(new byte[] {1}));
            byte[] first = random(3);
            ByteBuffer heap = ByteBuffer.wrap(first, 0, 40_000);
            ByteBuffer direct = ByteBuffer.allocateDirect(MseChannel.SCRATCH + 5).put(first, 0, MseChannel.SCRATCH + 5)
                    .flip();
            ByteBuffer readOnly = ByteBuffer.wrap(first, 0, 10).asReadOnlyBuffer();
            byte[] before = first.clone();
            Future<byte[]> read = MseHandshakeTest.async(() -> readAll(b, 40_000 + MseChannel.SCRATCH + 5 + 10));
            long written = a.write(new ByteBuffer[] {heap, direct, readOnly});
            assertThat(written).isEqualTo(40_000 + MseChannel.SCRATCH + 5 + 10);
            assertThat(first).isEqualTo(before);
            byte[] expected = new byte[(int) written];
            System.arraycopy(first, 0, expected, 0, 40_000);
            System.arraycopy(first, 0, expected, 40_000, MseChannel.SCRATCH + 5);
            System.arraycopy(first, 0, expected, 40_000 + MseChannel.SCRATCH + 5, 10);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }

    @Test
    void readsTheLeftoverBeforeTheChannelWithoutDecryptingItAgain() throws Exception {
        try (Loopback link = new Loopback()) {
            Rc4 sender = Rc4.dropping1024(new byte[] {9});
            MseChannel b = new MseChannel(link.acceptor, ByteBuffer.wrap(new byte[] {1, 2, 3}),
                    Rc4.dropping1024(new byte[] {9}), Rc4.dropping1024(new byte[] {8}));
            byte[] later = {4, 5, 6, 7};
            ByteBuffer onWire = ByteBuffer.wrap(later.clone());
            sender.apply(onWire.duplicate());
            link.dialer.write(onWire);
            ByteBuffer two = ByteBuffer.allocate(2);
            assertThat(b.read(two)).isEqualTo(2);
            assertThat(readAll(b, 5)).containsExactly(3, 4, 5, 6, 7);
        }
    }

    private static Void writeInPieces(MseChannel channel, byte[] data, boolean direct) throws Exception {
        SplittableRandom random = new SplittableRandom(data.length);
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, 1 + random.nextInt(100_000));
            ByteBuffer piece = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
            piece.put(data, at, n).flip();
            channel.write(piece);
            at += n;
        }
        return null;
    }

    private static byte[] readAll(MseChannel channel, int size) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        while (buffer.hasRemaining()) {
            ByteBuffer window = buffer.slice(buffer.position(), Math.min(buffer.remaining(), 70_000));
            int n = channel.read(window);
            assertThat(n).isPositive();
            buffer.position(buffer.position() + n);
        }
        byte[] out = new byte[size];
        buffer.flip().get(out);
        return out;
    }

    private static byte[] random(long seed) {
        byte[] data = new byte[SIZE];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}
