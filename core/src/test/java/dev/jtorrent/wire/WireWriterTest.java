package dev.jtorrent.wire;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.BufferPool;
import dev.jtorrent.wire.Message.Have;
import dev.jtorrent.wire.Message.Interested;
import dev.jtorrent.wire.Message.Piece;
import dev.jtorrent.wire.Message.Request;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireWriterTest {

    @Test
    void writesWhatTheReaderReadsBack() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireWriter writer = WireWriter.of(out);
        Handshake handshake = Handshake.of(InfoHash.fromHex("12".repeat(20)), PeerId.random("-JT0010-"));
        writer.writeHandshake(handshake);
        SplittableRandom random = new SplittableRandom(7);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Message m = SampleMessages.random(random);
            sent.add(m);
            writer.write(m);
        }
        writer.flush();

        WireReader reader = WireReader.of(new ByteArrayInputStream(out.toByteArray()));
        assertThat(reader.readHandshake()).isEqualTo(handshake);
        for (Message expected : sent) {
            assertThat(reader.read()).isEqualTo(expected);
        }
        assertThat(reader.read()).isNull();
    }

    @Test
    void batchesSmallMessagesUntilFlushed() throws IOException {
        CountingChannel channel = new CountingChannel();
        WireWriter writer = new WireWriter(channel);
        for (int i = 0; i < 100; i++) {
            writer.write(new Have(i));
        }
        writer.write(new Interested());
        assertThat(channel.writes).isZero();
        writer.flush();
        assertThat(channel.writes).isEqualTo(1);
        assertThat(channel.bytes.size()).isEqualTo(100 * 9 + 5);
    }

    @Test
    void writesPieceDataFromItsOwnBufferAfterTheQueuedMessagesInOneGatheringWrite() throws IOException {
        CountingChannel channel = new CountingChannel();
        WireWriter writer = new WireWriter(channel);
        ByteBuffer data = ByteBuffer.allocateDirect(16384);
        writer.write(new Request(0, 0, 16384));
        writer.write(new Piece(3, 0, data));
        writer.write(new Have(1));
        assertThat(channel.writes).as("held back until the flush").isZero();

        writer.flush();

        assertThat(channel.writes).isEqualTo(1);
        assertThat(channel.sawBuffer).hasSize(3);
        assertThat(channel.sawBuffer.get(0).remaining()).as("the request and the piece's header").isEqualTo(17 + 13);
        assertThat(channel.sawBuffer.get(1).isDirect()).as("the piece's own buffer, not a copy").isTrue();
        assertThat(channel.sawBuffer.get(1).remaining()).isEqualTo(16384);
        assertThat(data.position()).isZero();
        assertThat(channel.bytes.size()).isEqualTo(17 + 13 + 16384 + 9);
    }

    /** A burst of blocks leaves in gathering writes of 256 KiB, in order, with the small messages among them. */
    @Test
    void aBurstOfBlocksLeavesInFewGatheringWrites() throws IOException {
        CountingChannel channel = new CountingChannel();
        WireWriter writer = new WireWriter(channel);
        List<Message> sent = new ArrayList<>();
        int blocks = 40;
        for (int i = 0; i < blocks; i++) {
            byte[] block = new byte[16384];
            new SplittableRandom(i).nextBytes(block);
            ByteBuffer data = ByteBuffer.allocateDirect(block.length).put(block).flip();
            sent.add(new Piece(i, 0, data));
            sent.add(new Have(i));
        }
        for (Message message : sent) {
            writer.write(message);
        }
        int perWrite = WireWriter.GATHER_BYTES / 16384;
        assertThat(channel.writes).as("full writes before the flush").isEqualTo(blocks / perWrite);
        writer.flush();

        assertThat(channel.writes).isEqualTo((blocks + perWrite - 1) / perWrite);
        assertThat(channel.sawBuffer).as("one write's buffers: a header slice and a block each")
                .hasSize(2 * perWrite);
        WireReader reader = WireReader.of(new ByteArrayInputStream(channel.bytes.toByteArray()));
        for (Message expected : sent) {
            assertThat(reader.read()).isEqualTo(expected);
        }
        assertThat(reader.read()).isNull();
    }

    @Test
    void onAStreamABurstOfBlocksLeavesInOneWriteWithTheirHeaders() throws IOException {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.OutputStream stream = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                bytes.write(b, off, len);
            }
        };
        WireWriter writer = WireWriter.of(stream);
        List<Message> sent = new ArrayList<>();
        int blocks = 10;
        for (int i = 0; i < blocks; i++) {
            byte[] block = new byte[16384];
            new SplittableRandom(i).nextBytes(block);
            sent.add(new Piece(i, 0, ByteBuffer.wrap(block)));
        }
        for (Message message : sent) {
            writer.write(message);
        }
        writer.flush();

        int perBlock = 13 + 16384;
        int fit = WireWriter.STREAM_BATCH_SIZE / perBlock;
        assertThat(fit).isBetween(2, blocks - 1);
        assertThat(writes).containsExactly(fit * perBlock, (blocks - fit) * perBlock);
        WireReader reader = WireReader.of(new ByteArrayInputStream(bytes.toByteArray()));
        for (Message expected : sent) {
            assertThat(reader.read()).isEqualTo(expected);
        }
    }

    /** A pooled writer takes its batch at its first message, not before: a connection that never sends takes none. */
    @Test
    void aPooledWriterTakesItsBatchAtItsFirstMessage() throws IOException {
        BufferPool pool = new BufferPool(WireWriter.DEFAULT_BATCH_SIZE, 1);
        WireWriter writer = new WireWriter(new CountingChannel(), pool);
        writer.flush();
        assertThat(pool.inUse()).as("nothing queued yet").isZero();

        writer.write(new Interested());

        assertThat(pool.inUse()).isEqualTo(1);
    }

    @Test
    void closingGivesTheBatchBackAndClosesTheChannelOnce() throws IOException {
        BufferPool pool = new BufferPool(WireWriter.DEFAULT_BATCH_SIZE, 1);
        CountingChannel channel = new CountingChannel();
        WireWriter writer = new WireWriter(channel, pool);
        writer.send(new Have(1));

        writer.close();
        writer.close();

        assertThat(pool.inUse()).isZero();
        assertThat(pool.idle()).isEqualTo(1);
        assertThat(channel.closes).isEqualTo(1);
        assertThatThrownBy(() -> writer.write(new Have(2))).as("a closed writer takes no new batch")
                .isInstanceOf(ClosedChannelException.class);
        assertThat(pool.inUse()).isZero();
    }

    /**
     * A writer closed after a failed write gives its batch back, and forgets the slices of it it was writing: the
     * next connection that takes the batch writes into it at once.
     */
    @Test
    void aWriterClosedAfterAFailedWriteGivesItsBatchBack() throws IOException {
        BufferPool pool = new BufferPool(WireWriter.DEFAULT_BATCH_SIZE, 1);
        CountingChannel channel = new CountingChannel();
        channel.failing = true;
        WireWriter writer = new WireWriter(channel, pool);
        writer.write(new Piece(0, 0, ByteBuffer.allocateDirect(16384)));
        assertThatThrownBy(writer::flush).isInstanceOf(IOException.class);

        writer.close();

        assertThat(pool.inUse()).isZero();
        WireWriter next = new WireWriter(new CountingChannel(), pool);
        next.send(new Have(7));
        assertThat(pool.created()).as("the same batch, reused").isEqualTo(1);
    }

    /** Records what was written, how many calls it took, and the buffers the first call was given. */
    private static final class CountingChannel implements GatheringByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<ByteBuffer> sawBuffer = new ArrayList<>();
        int writes;
        int closes;
        /** Every write fails, as on a connection the peer reset. */
        boolean failing;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (failing) {
                throw new IOException("Connection reset by peer");
            }
            if (writes++ == 0) {
                for (int i = offset; i < offset + length; i++) {
                    sawBuffer.add(srcs[i].duplicate());
                }
            }
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining()) {
                    bytes.write(srcs[i].get());
                    n++;
                }
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return closes == 0;
        }

        @Override
        public void close() {
            closes++;
        }
    }
}
