package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.wire.BlockRef;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link PieceBuffers} counts its memory against the session's budget of pieces in flight. */
class PieceBuffersBudgetTest {
    private static final int PIECE = 2 * BlockRef.SIZE;

    private final FairBudget session = new FairBudget("bytes of pieces in flight", 3L * PIECE);
    private final AtomicInteger wakes = new AtomicInteger();
    private final PieceBuffers first = buffers(() -> { });
    private final PieceBuffers second = buffers(wakes::incrementAndGet);

    @Test
    void aPieceStartsOnlyWithMemoryReservedAndItsBufferCountsFromThenOn() {
        assertThat(first.reserve(0)).isTrue();
        assertThat(first.reserve(0)).isTrue();
        assertThat(first.reserve(0)).isTrue();
        assertThat(first.reserve(0)).isFalse(); // the session's three pieces are taken
        first.open(1);
        first.open(1); // the same piece again: no more memory
        first.open(2);
        assertThat(first.memoryHeld()).isEqualTo(3L * PIECE);
        assertThat(session.peak()).isEqualTo(3L * PIECE);
    }

    @Test
    void aBufferGoesBackWhileAnotherTorrentWaitsAndIsPooledOtherwiseUntilReclaimed() {
        for (int piece = 0; piece < 3; piece++) {
            first.reserve(0);
            first.open(piece);
        }
        assertThat(second.reserve(0)).isFalse(); // under its fair part (one piece of three): it waits

        first.release(0); // written: its memory goes to the torrent waiting, not to the pool
        assertThat(first.memoryHeld()).isEqualTo(2L * PIECE);
        assertThat(wakes).hasValue(1);
        assertThat(second.reserve(0)).isTrue();

        first.release(1); // nobody waits now: pooled, and still counted
        assertThat(first.memoryHeld()).isEqualTo(2L * PIECE);
        assertThat(second.reserve(0)).isTrue(); // refused at first; the first torrent's pool is reclaimed for it
        assertThat(first.memoryHeld()).isEqualTo(PIECE);
        assertThat(session.used()).isEqualTo(3L * PIECE);
        assertThat(session.peak()).isEqualTo(3L * PIECE);
    }

    @Test
    void aReservationUsesAPooledBufferBeforeTakingMore() {
        first.reserve(0);
        first.open(0);
        first.release(0); // pooled
        assertThat(first.reserve(0)).isTrue();
        first.open(5);
        assertThat(first.memoryHeld()).isEqualTo(PIECE);
        assertThat(session.used()).isEqualTo(PIECE);
    }

    @Test
    void leavingGivesEverythingBack() {
        first.reserve(0);
        first.open(0);
        first.reserve(0);
        first.leaveBudget();
        assertThat(session.used()).isZero();
        first.release(0); // a buffer given back after the torrent stopped is not counted twice
        assertThat(session.used()).isZero();
    }

    /**
     * Memory is taken from the session's budget at the time of the swarm's clock, the time its reservations are made
     * at: a torrent refused there waits {@link FairBudget#WAIT_NANOS} of that clock, simulated or not, and a piece
     * opened without a reservation sees it waiting for as long, and no longer.
     */
    @Test
    void memoryIsTakenAtTheTimeOfTheSwarmsClock() {
        FairBudget budget = new FairBudget("bytes of pieces in flight", 2L * PIECE);
        long[] now = {System.nanoTime() + TimeUnit.DAYS.toNanos(1)}; // a day off the real clock, so reading it shows
        PieceBuffers buffers = new PieceBuffers(PIECE, p -> PIECE, 8, () -> now[0]);
        buffers.useBudget(budget, () -> { });
        buffers.open(0);
        FairBudget.Share other = budget.join(() -> { });
        assertThat(other.tryTake(2L * PIECE, now[0])).as("under its fair part: it waits").isFalse();

        now[0] += TimeUnit.SECONDS.toNanos(1);
        assertThatThrownBy(() -> buffers.open(1)).as("a second on, the other torrent waits for its part")
                .isInstanceOf(IllegalStateException.class);
        now[0] += TimeUnit.SECONDS.toNanos(3);
        buffers.open(1);
        assertThat(buffers.memoryHeld()).as("three seconds on, it no longer waits").isEqualTo(2L * PIECE);
    }

    private PieceBuffers buffers(Runnable wake) {
        PieceBuffers buffers = new PieceBuffers(PIECE, p -> PIECE, 8);
        buffers.useBudget(session, wake);
        return buffers;
    }
}
