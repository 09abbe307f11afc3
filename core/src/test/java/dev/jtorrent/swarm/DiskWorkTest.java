package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.BlockRef;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class DiskWorkTest {
    private static final int PIECE = 32 * 1024;

    @Test
    void aRecordClaimsEveryPieceWrittenAndForcesItFirstThoughTheSwarmHasNotHeardYet() throws Exception {
        byte[] data = new byte[2 * PIECE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        ByteBuffer hashes = ByteBuffer.allocate(40);
        for (int piece = 0; piece < 2; piece++) {
            sha1.update(data, piece * PIECE, PIECE);
            hashes.put(sha1.digest());
        }
        InfoDictionary info = new InfoDictionary("x", PIECE, hashes.array(), false,
                List.of(FileEntry.of(List.of("x"), data.length, 0)), false, Optional.empty(), false);
        MemoryStorage storage = new MemoryStorage(PieceMap.of(info));
        LinkedBlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            DiskWork disk = new DiskWork(storage, info, pool, events::add);
            PieceBuffers buffers = new PieceBuffers(PIECE, p -> PIECE, 4);
            PieceBuffers.PieceBuffer buffer = buffers.open(1);
            for (int begin = 0; begin < PIECE; begin += BlockRef.SIZE) {
                buffers.claim(this, 1, begin, BlockRef.SIZE).put(data, PIECE + begin, BlockRef.SIZE);
                buffers.written(1, begin);
            }
            disk.verifyAndWrite(buffer, info.pieceHash(1), false);
            assertThat(events.poll(10, TimeUnit.SECONDS)).isInstanceOf(SwarmEvent.PieceWritten.class);

            // The swarm knows of no piece yet (its PieceWritten is still in the queue, unforced).
            AtomicReference<String> recorded = new AtomicReference<>();
            List<Integer> forcedWhenRecorded = new ArrayList<>();
            disk.recordNow((sequence, pieces) -> {
                recorded.set(pieces.toString());
                storage.forcedPieces().stream().forEach(forcedWhenRecorded::add);
            }, 1, new PieceSet(2));

            PieceSet expected = new PieceSet(2);
            expected.add(1);
            assertThat(recorded.get()).isEqualTo(expected.toString());
            assertThat(forcedWhenRecorded).containsExactly(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A peer that takes one block of each piece and never lets them go holds every piece they came from: once those
     * out of the cache hold as much as the cache itself, a read of another piece is refused as busy (the swarm then
     * rejects the request), not reported as a disk failure; when the blocks are released, reads go on.
     */
    @Test
    void readsAreRefusedAsBusyWhileLentBlocksHoldTheLimitOfEvictedPieces() throws Exception {
        int piece = 4 * 1024 * 1024;
        int cachedPieces = (int) (DiskWork.READ_CACHE_BYTES / piece);
        int pieces = 2 * cachedPieces + 1;
        InfoDictionary info = new InfoDictionary("x", piece, new byte[20 * pieces], false,
                List.of(FileEntry.of(List.of("x"), (long) piece * pieces, 0)), false, Optional.empty(), false);
        LinkedBlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            MemoryStorage storage = new MemoryStorage(PieceMap.of(info));
            ByteBuffer zeros = ByteBuffer.allocate(piece);
            for (int p = 0; p < pieces; p++) {
                storage.writePiece(p, zeros.clear());
            }
            DiskWork disk = new DiskWork(storage, info, pool, events::add);
            List<ReadCache.Lent> held = new ArrayList<>();
            for (int p = 0; p < pieces - 1; p++) {
                disk.readForUpload(null, new BlockRef(p, 0, BlockRef.SIZE));
                SwarmEvent event = events.poll(10, TimeUnit.SECONDS);
                assertThat(event).as("piece %d", p).isInstanceOf(SwarmEvent.UploadReady.class);
                held.add(((SwarmEvent.UploadReady) event).data());
            }

            BlockRef last = new BlockRef(pieces - 1, 0, BlockRef.SIZE);
            disk.readForUpload(null, last);
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(new SwarmEvent.UploadRefused(null, last, null));

            held.forEach(ReadCache.Lent::release);
            disk.readForUpload(null, last);
            assertThat(events.poll(10, TimeUnit.SECONDS)).isInstanceOf(SwarmEvent.UploadReady.class);
        } finally {
            pool.shutdownNow();
        }
    }
}
