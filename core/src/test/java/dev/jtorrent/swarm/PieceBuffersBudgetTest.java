package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.wire.BlockRef;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

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

    private PieceBuffers buffers(Runnable wake) {
        PieceBuffers buffers = new PieceBuffers(PIECE, p -> PIECE, 8);
        buffers.useBudget(session, wake);
        return buffers;
    }
}
