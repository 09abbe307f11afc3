package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.BlockRef;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReadCacheTest {
    private static final int PIECE = 64 * 1024;
    /** A limit for pieces held only by lent blocks that the tests not about it never reach. */
    private static final long UNBOUNDED = Long.MAX_VALUE;

    /** Pieces whose every byte is (piece + offset) mod 251, and a log of the reads that reach it. */
    private static class CountingStorage implements Storage {
        final List<Integer> reads = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void writePiece(int piece, ByteBuffer data) {
            throw new UnsupportedOperationException("read-only in this test");
        }

        @Override
        public void read(int piece, int begin, ByteBuffer dst) {
            reads.add(piece);
            int offset = begin;
            while (dst.hasRemaining()) {
                dst.put((byte) ((piece + offset++) % 251));
            }
        }

        @Override
        public void force() {
        }

        @Override
        public void close() {
        }
    }

    /** A copy of a block read through the cache on the calling thread; the block is released. */
    private static byte[] block(ReadCache cache, int piece, int begin) throws Exception {
        ReadCache.Lent lent;
        try {
            lent = cache.blockAsync(piece, begin, BlockRef.SIZE, Runnable::run).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        try {
            byte[] bytes = new byte[BlockRef.SIZE];
            lent.data().get(0, bytes);
            return bytes;
        } finally {
            lent.release();
        }
    }

    @Test
    void servesEveryBlockOfAPieceFromOneRead() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 4L * PIECE, UNBOUNDED, p -> new byte[20]);
        for (int peer = 0; peer < 3; peer++) {
            for (int begin = 0; begin < PIECE; begin += BlockRef.SIZE) {
                byte[] bytes = block(cache, 7, begin);
                assertThat(bytes[0]).isEqualTo((byte) ((7 + begin) % 251));
                assertThat(bytes[BlockRef.SIZE - 1]).isEqualTo((byte) ((7 + begin + BlockRef.SIZE - 1) % 251));
            }
        }
        assertThat(storage.reads).containsExactly(7);
    }

    @Test
    void cachesOfOneSessionStayWithinItsBudgetTogetherAndTakeBackWhatNoBlockHolds() throws Exception {
        FairBudget session = new FairBudget("bytes of read cache", 3L * PIECE); // each cache alone would keep 8
        CountingStorage storage = new CountingStorage();
        ReadCache first = new ReadCache(storage, p -> PIECE, 8L * PIECE, UNBOUNDED, p -> new byte[20], session,
                NanoClock.SYSTEM);
        ReadCache second = new ReadCache(storage, p -> PIECE, 8L * PIECE, UNBOUNDED, p -> new byte[20], session,
                NanoClock.SYSTEM);

        block(first, 1, 0);
        block(first, 2, 0);
        ReadCache.Lent held = first.blockAsync(3, 0, BlockRef.SIZE, Runnable::run).join(); // lent: piece 3 stays
        assertThat(session.used()).isEqualTo(3L * PIECE);

        // The second cache's read is refused at first; the first gives back its least recently used piece.
        assertThat(block(second, 9, 0)[0]).isEqualTo((byte) 9);
        assertThat(first.cachedBytes()).isEqualTo(2L * PIECE);
        assertThat(session.used()).isEqualTo(3L * PIECE);
        assertThat(session.peak()).isEqualTo(3L * PIECE);

        // Every piece still in memory is either lent or asked back one at a time; none is ever over the budget.
        for (int piece = 10; piece < 20; piece++) {
            block(second, piece, 0);
            assertThat(session.used()).isLessThanOrEqualTo(3L * PIECE);
        }
        assertThat(session.peak()).isEqualTo(3L * PIECE);
        assertThat(held.data().get(0)).isEqualTo((byte) 3); // never reused under the block lent
        held.release();

        first.leaveBudget();
        second.leaveBudget();
        assertThat(session.used()).isZero();
    }

    /**
     * A refused read makes the cache wait for the session's budget by the swarm's clock, as the swarm's other takes
     * from the session's budgets do: a simulated swarm's cache waits {@link FairBudget#WAIT_NANOS} of simulated time,
     * whatever the real clock says.
     */
    @Test
    void aRefusedReadWaitsForTheSessionsBudgetByTheSwarmsClock() {
        FairBudget session = new FairBudget("bytes of read cache", 2L * PIECE);
        long[] now = {System.nanoTime() + TimeUnit.DAYS.toNanos(1)}; // a day off the real clock, so reading it shows
        FairBudget.Share other = session.join(() -> { });
        assertThat(other.tryTake(2L * PIECE, now[0])).isTrue();
        ReadCache cache = new ReadCache(new CountingStorage(), p -> PIECE, 8L * PIECE, UNBOUNDED, p -> new byte[20],
                session, () -> now[0]);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> block(cache, 1, 0))
                .isInstanceOf(ReadCache.BusyException.class);

        now[0] += TimeUnit.SECONDS.toNanos(1);
        assertThat(other.excess(now[0])).as("a second on, the cache waits: the other torrent has more than its part")
                .isEqualTo(1);
        now[0] += TimeUnit.SECONDS.toNanos(3);
        assertThat(other.excess(now[0])).as("three seconds on, the cache no longer waits").isZero();
    }

    @Test
    void aReadThatTheSessionsBudgetCannotMakeRoomForIsRefused() throws Exception {
        FairBudget session = new FairBudget("bytes of read cache", 2L * PIECE);
        CountingStorage storage = new CountingStorage();
        ReadCache first = new ReadCache(storage, p -> PIECE, 8L * PIECE, UNBOUNDED, p -> new byte[20], session,
                NanoClock.SYSTEM);
        ReadCache second = new ReadCache(storage, p -> PIECE, 8L * PIECE, UNBOUNDED, p -> new byte[20], session,
                NanoClock.SYSTEM);
        ReadCache.Lent a = first.blockAsync(1, 0, BlockRef.SIZE, Runnable::run).join();
        ReadCache.Lent b = first.blockAsync(2, 0, BlockRef.SIZE, Runnable::run).join();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> block(second, 5, 0))
                .isInstanceOf(ReadCache.BusyException.class);
        a.release();
        b.release();
        assertThat(block(second, 5, 0)[0]).isEqualTo((byte) 5);
    }

    @Test
    void staysWithinItsBudgetDroppingTheLeastRecentlyUsedPiece() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 2L * PIECE, UNBOUNDED, p -> new byte[20]);
        block(cache, 1, 0);
        block(cache, 2, 0);
        block(cache, 1, 0); // 1 is now the most recently used
        block(cache, 3, 0); // evicts 2
        assertThat(cache.cachedBytes()).isEqualTo(2L * PIECE);
        block(cache, 1, 0);
        block(cache, 2, 0);
        assertThat(storage.reads).containsExactly(1, 2, 3, 2);
    }

    @Test
    void hashesATrustedPieceOnItsFirstReadAndRefusesOneThatDoesNotMatch() throws Exception {
        CountingStorage storage = new CountingStorage();
        byte[] goodHash = sha1(piece(0));
        ReadCache cache = new ReadCache(storage, p -> PIECE, 4L * PIECE, UNBOUNDED,
                p -> p == 0 ? goodHash : new byte[20]);
        PieceSet trusted = PieceSet.all(2);
        cache.trustUnchecked(trusted);

        assertThat(block(cache, 0, BlockRef.SIZE)[0]).isEqualTo((byte) (BlockRef.SIZE % 251));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> block(cache, 1, 0))
                .isInstanceOf(ReadCache.CorruptPieceException.class)
                .hasMessage("piece 1 on disk does not match its hash; it is not sent");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> block(cache, 1, 0))
                .isInstanceOf(ReadCache.CorruptPieceException.class);
        assertThat(cache.cachedBytes()).isEqualTo(PIECE);
    }

    private static byte[] piece(int index) {
        byte[] bytes = new byte[PIECE];
        for (int i = 0; i < PIECE; i++) {
            bytes[i] = (byte) ((index + i) % 251);
        }
        return bytes;
    }

    private static byte[] sha1(byte[] bytes) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-1").digest(bytes);
    }

    @Test
    void neverKeepsAPieceLargerThanTheBudget() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, PIECE / 2, UNBOUNDED, p -> new byte[20]);
        block(cache, 4, 0);
        block(cache, 4, BlockRef.SIZE);
        assertThat(cache.cachedBytes()).isZero();
        assertThat(storage.reads).containsExactly(4, 4);
    }

    @Test
    void aSecondMissOfAPieceBeingReadWaitsForThatReadInsteadOfRepeatingIt() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
        CountingStorage slow = new CountingStorage() {
            @Override
            public void read(int piece, int begin, ByteBuffer dst) {
                entered.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.read(piece, begin, dst);
            }
        };
        ReadCache cache = new ReadCache(slow, p -> PIECE, 4L * PIECE, UNBOUNDED, p -> new byte[20]);
        byte[][] got = new byte[2][];
        Thread first = Thread.ofPlatform().start(() -> got[0] = blockQuietly(cache, 5, 0));
        while (entered.get() == 0 && first.isAlive()) {
            Thread.onSpinWait(); // the first reader is inside the storage read
        }
        Thread second = Thread.ofPlatform().start(() -> got[1] = blockQuietly(cache, 5, BlockRef.SIZE));
        while (second.getState() != Thread.State.WAITING && second.isAlive()) {
            Thread.onSpinWait(); // parked on the first read, or (if the cache were broken) blocked in its own
        }
        release.countDown();
        first.join();
        second.join();
        assertThat(slow.reads).containsExactly(5);
        assertThat(got[0][0]).isEqualTo((byte) (5 % 251));
        assertThat(got[1][0]).isEqualTo((byte) ((5 + BlockRef.SIZE) % 251));
    }

    @Test
    void aBlockIsAViewOfTheCachedPiecesDirectMemoryNotACopy() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 4L * PIECE, UNBOUNDED, p -> new byte[20]);
        ByteBuffer a = lend(cache, 3, BlockRef.SIZE, BlockRef.SIZE).data();
        ByteBuffer b = lend(cache, 3, 2 * BlockRef.SIZE, 100).data();
        assertThat(a.remaining()).isEqualTo(BlockRef.SIZE);
        assertThat(b.remaining()).isEqualTo(100);
        assertThat(a.get(0)).isEqualTo((byte) ((3 + BlockRef.SIZE) % 251));
        assertThat(b.get(99)).isEqualTo((byte) ((3 + 2 * BlockRef.SIZE + 99) % 251));
        assertThat(a.isDirect()).isTrue();
        assertThat(storage.reads).containsExactly(3);
    }

    /**
     * An evicted piece whose block is still lent (queued for a peer) keeps its memory: the next piece read gets new
     * memory, and the lent block's bytes stay as they were until it is released. Then the memory is reused.
     */
    @Test
    void memoryGoesBackToThePoolOnlyOnceNoLentBlockHoldsIt() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, PIECE, UNBOUNDED, p -> new byte[20]);
        ReadCache.Lent lent = lend(cache, 1, 0, BlockRef.SIZE);

        lend(cache, 2, 0, BlockRef.SIZE).release(); // evicts piece 1, which the lent block still holds
        assertThat(cache.pooled()).isZero();
        lend(cache, 3, 0, BlockRef.SIZE).release(); // evicts piece 2, held by nothing: pooled
        assertThat(cache.pooled()).isEqualTo(1);
        lend(cache, 4, 0, BlockRef.SIZE).release(); // reads into piece 2's memory, evicting 3 into the pool
        assertThat(cache.pooled()).isEqualTo(1);

        assertThat(lent.data().get(0)).as("piece 1's bytes, untouched by the reads since").isEqualTo((byte) 1);
        assertThat(lent.data().get(BlockRef.SIZE - 1)).isEqualTo((byte) ((1 + BlockRef.SIZE - 1) % 251));
        lent.release();
        lent.release(); // a second release changes nothing
        assertThat(cache.pooled()).as("at most one piece of pool with this budget").isEqualTo(1);
    }

    @Test
    void aLentBlockOfACachedPieceKeepsItsBytesAcrossEvictionsAndReuse() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 2L * PIECE, UNBOUNDED, p -> new byte[20]);
        List<ReadCache.Lent> held = new ArrayList<>();
        for (int piece = 0; piece < 50; piece++) {
            held.add(lend(cache, piece, BlockRef.SIZE, BlockRef.SIZE));
            if (piece % 3 == 0) {
                held.removeFirst().release();
            }
            for (ReadCache.Lent lent : held) {
                int owner = Byte.toUnsignedInt(lent.data().get(0)) - BlockRef.SIZE % 251;
                assertThat(Math.floorMod(owner, 251)).as("a block's first byte names its piece")
                        .isBetween(0, piece);
            }
        }
        for (int i = 0; i < held.size(); i++) {
            ReadCache.Lent lent = held.get(i);
            byte first = lent.data().get(0);
            byte expected = (byte) ((Byte.toUnsignedInt(first) + BlockRef.SIZE - 1) % 251);
            assertThat(lent.data().get(BlockRef.SIZE - 1)).isEqualTo(expected);
        }
        held.forEach(ReadCache.Lent::release);
    }

    /**
     * Four threads lend blocks of eight pieces through a cache with room for one, so nearly every read evicts the
     * piece before it, often while blocks of it are lent: every lent block must keep its bytes until released, and
     * the requests must get their blocks without reading their piece over and over.
     */
    @Test
    void lentBlocksKeepTheirBytesWhileReadsEvictTheirPiecesOnManyThreads() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, PIECE, UNBOUNDED, p -> new byte[20]);
        ExecutorService disk = Executors.newFixedThreadPool(2);
        ExecutorService peers = Executors.newFixedThreadPool(4);
        int requests = 2_000;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(peers.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    ArrayDeque<ReadCache.Lent> held = new ArrayDeque<>();
                    ArrayDeque<Integer> heldPieces = new ArrayDeque<>();
                    for (int i = 0; i < requests / 4; i++) {
                        int piece = random.nextInt(8);
                        held.add(cache.blockAsync(piece, BlockRef.SIZE, BlockRef.SIZE, disk).join());
                        heldPieces.add(piece);
                        if (held.size() > 3) {
                            ReadCache.Lent lent = held.poll();
                            int owner = heldPieces.poll();
                            for (int b = 0; b < BlockRef.SIZE; b += 997) {
                                assertThat(lent.data().get(b)).isEqualTo((byte) ((owner + BlockRef.SIZE + b) % 251));
                            }
                            lent.release();
                        }
                    }
                    held.forEach(ReadCache.Lent::release);
                    return null;
                }));
            }
            for (var future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            peers.shutdownNow();
            disk.shutdownNow();
        }
        assertThat(storage.reads.size()).as("reads for %d requests", requests).isLessThanOrEqualTo(requests);
    }

    /**
     * A peer that asks for one block of each of many pieces and reads nothing holds, through its lent blocks, every
     * piece they came from. Once the pieces out of the cache hold the budget, reads of pieces not cached are refused;
     * cached ones are still served, and once the blocks go, reads go on.
     */
    @Test
    void piecesHeldOnlyByLentBlocksAreBoundedByTheirLimit() {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 2L * PIECE, 2L * PIECE, p -> new byte[20]);
        List<ReadCache.Lent> unsent = new ArrayList<>();
        for (int piece = 0; piece < 4; piece++) {
            unsent.add(lend(cache, piece, 0, BlockRef.SIZE)); // 2 and 3 evict 0 and 1, which stay held
        }
        assertThat(cache.pinnedBytes()).isEqualTo(2L * PIECE);

        assertThat(cache.blockAsync(4, 0, BlockRef.SIZE, Runnable::run))
                .failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ReadCache.BusyException.class);
        assertThat(cache.cachedBlock(3, BlockRef.SIZE, BlockRef.SIZE)).as("a cached piece is still served").isNotNull();
        assertThat(storage.reads).containsExactly(0, 1, 2, 3);

        unsent.forEach(ReadCache.Lent::release);
        assertThat(cache.pinnedBytes()).isZero();
        assertThat(lend(cache, 4, 0, BlockRef.SIZE).data().get(0)).isEqualTo((byte) 4);
    }

    private static ReadCache.Lent lend(ReadCache cache, int piece, int begin, int length) {
        return cache.blockAsync(piece, begin, length, Runnable::run).join();
    }

    private static byte[] blockQuietly(ReadCache cache, int piece, int begin) {
        try {
            return block(cache, piece, begin);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCachedBlockIsServedWithoutAReadAndAMissReadsNothing() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 4L * PIECE, UNBOUNDED, p -> new byte[20]);
        assertThat(cache.cachedBlock(2, 0, BlockRef.SIZE)).isNull();
        assertThat(storage.reads).isEmpty();
        block(cache, 2, 0);
        ByteBuffer hit = cache.cachedBlock(2, BlockRef.SIZE, BlockRef.SIZE).data();
        assertThat(hit).isNotNull();
        assertThat(hit.remaining()).isEqualTo(BlockRef.SIZE);
        assertThat(hit.get(0)).isEqualTo((byte) ((2 + BlockRef.SIZE) % 251));
        assertThat(storage.reads).containsExactly(2);
    }

    @Test
    void requestsForAPieceBeingReadShareThatReadWithoutAThreadOfTheirOwn() throws Exception {
        CountingStorage storage = new CountingStorage();
        ReadCache cache = new ReadCache(storage, p -> PIECE, 4L * PIECE, UNBOUNDED, p -> new byte[20]);
        List<Runnable> jobs = new ArrayList<>();

        var first = cache.blockAsync(3, 0, BlockRef.SIZE, jobs::add);
        var second = cache.blockAsync(3, BlockRef.SIZE, BlockRef.SIZE, jobs::add);

        assertThat(jobs).as("one read job for both").hasSize(1);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        jobs.getFirst().run();
        assertThat(first.get().data().get(0)).isEqualTo((byte) 3);
        assertThat(second.get().data().get(0)).isEqualTo((byte) ((3 + BlockRef.SIZE) % 251));
        assertThat(storage.reads).containsExactly(3);
        assertThat(cache.blockAsync(3, 0, BlockRef.SIZE, jobs::add)).as("cached now").isDone();
        assertThat(jobs).hasSize(1);
    }
}
