package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A downloaded piece's memory goes back to the pool once its data is in the file, not once the file is forced:
 * a force can take far longer than a write, and every piece written before it would hold its buffer through it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PieceMemoryTest {
    private static final int PIECE = 4 * BlockRef.SIZE;
    private static final int PIECES = 4;

    @Test
    void aWrittenPieceGivesBackItsMemoryWhileTheForceIsStillToCome() throws Exception {
        byte[] content = new byte[PIECE * PIECES];
        new SplittableRandom(5).nextBytes(content);
        InfoDictionary info = new InfoDictionary("memory", PIECE, ScriptedSeed.pieceHashes(content, PIECE), false,
                List.of(FileEntry.of(List.of("memory"), content.length, 0)), false, Optional.empty(), false);
        CountDownLatch forceStarted = new CountDownLatch(1);
        CountDownLatch forceMayEnd = new CountDownLatch(1);
        MemoryStorage memory = new MemoryStorage(PieceMap.of(info));
        Storage slowForce = new Storage() {
            @Override
            public void writePiece(int piece, ByteBuffer data) throws IOException {
                memory.writePiece(piece, data);
            }

            @Override
            public void read(int piece, int begin, ByteBuffer dst) throws IOException {
                memory.read(piece, begin, dst);
            }

            @Override
            public void force() throws IOException {
                forceStarted.countDown();
                try {
                    forceMayEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                memory.force();
            }

            @Override
            public void close() {
                memory.close();
            }
        };
        InfoHash infoHash = InfoHash.of(new byte[20]);
        ExecutorService disk = Executors.newFixedThreadPool(2);
        Swarm swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), SwarmConfig.DEFAULT, slowForce,
                new PieceSet(PIECES), new PieceSet(PIECES), disk, (address, s) -> { }, () -> { },
                PieceRecorder.NONE, new SplittableRandom(1));
        swarm.start();
        try (ScriptedSeed seed = ScriptedSeed.connect(swarm, infoHash, info, content)) {
            seed.socket.setSoTimeout(10_000);
            for (int served = 0; served < PIECES * 4; ) {
                if (seed.fromSwarm.read() instanceof Message.Request r) {
                    seed.answer(r);
                    served++;
                }
            }
            // The writes queued behind the force wait for it, so the pieces written before it stay all there are.
            assertThat(forceStarted.await(10, TimeUnit.SECONDS)).as("a force started").isTrue();
            int written = memory.writtenPieces().cardinality();
            assertThat(written).as("pieces written before the force").isPositive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (swarm.piecesInMemory() > PIECES - written && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(memory.forcedPieces().cardinality()).as("pieces forced").isZero();
            assertThat(swarm.piecesInMemory()).as("pieces holding memory, with %d of %d written and none forced",
                    written, PIECES).isEqualTo(PIECES - written);

            forceMayEnd.countDown();
            swarm.completion().get(10, TimeUnit.SECONDS);
            assertThat(memory.forcedPieces().cardinality()).isEqualTo(PIECES);
        } finally {
            forceMayEnd.countDown();
            swarm.stop();
            disk.shutdownNow();
        }
    }
}
