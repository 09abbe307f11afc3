package dev.jtorrent.peer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link DownloadLimit} with the clock in the test's hands: how long readers are told to wait. */
class DownloadLimitTest {
    private static final int BLOCK = 16 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1024 * 1024;

    @Test
    void withoutALimitNobodyWaits() {
        DownloadLimit none = DownloadLimit.NONE;
        for (int i = 0; i < 10_000; i++) {
            assertThat(none.delayAfter(BLOCK, 0)).isZero();
        }
        assertThat(none.unlimited()).isTrue();
        assertThat(none.holdingBack(0)).isFalse();
    }

    @Test
    void aFullBucketTakesATenthOfASecondsWorthThenEachBlockWaitsItsShare() {
        DownloadLimit limit = new DownloadLimit(MIB, 0); // burst: 104,857 bytes, six blocks and a bit
        for (int i = 0; i < 6; i++) {
            assertThat(limit.delayAfter(BLOCK, 0)).as("block %d", i).isZero();
        }
        assertThat(limit.holdingBack(0)).isFalse();
        // The seventh goes past the burst by 7 * 16384 - 104857 = 9831 bytes: its reader waits for them.
        long wait = limit.delayAfter(BLOCK, 0);
        assertThat(wait).isBetween(9_831 * SECOND / MIB, 9_833 * SECOND / MIB);
        assertThat(limit.holdingBack(0)).isTrue();
        assertThat(limit.holdingBack(wait)).isFalse();
        // Each block after it waits a block's time more.
        assertThat(limit.delayAfter(BLOCK, 0) - wait).isBetween(BLOCK * SECOND / MIB, BLOCK * SECOND / MIB + 2);
    }

    /** Readers that read a block each wait in the order their blocks came, each a block's time after the last. */
    @Test
    void readersAreServedInTheOrderTheirBlocksCame() {
        DownloadLimit limit = new DownloadLimit(BLOCK, 0); // a block a second; the burst is one block
        assertThat(limit.delayAfter(BLOCK, 0)).isZero();
        long first = limit.delayAfter(BLOCK, 0);
        long second = limit.delayAfter(BLOCK, 0);
        long third = limit.delayAfter(BLOCK, 0);
        assertThat(first).isEqualTo(SECOND);
        assertThat(second).isEqualTo(2 * SECOND);
        assertThat(third).isEqualTo(3 * SECOND);
        // The first wakes when told and reads again: it comes after the other two.
        assertThat(limit.delayAfter(BLOCK, first)).isEqualTo(3 * SECOND);
    }

    @Test
    void overTenSecondsReadersGetTheRateAndOneBurstAndNoMore() {
        long rate = 3 * MIB;
        DownloadLimit limit = new DownloadLimit(rate, 0);
        long[] readyAt = new long[5];
        long bytes = 0;
        for (long now = 0; now < 10 * SECOND; ) {
            int next = 0;
            for (int reader = 1; reader < readyAt.length; reader++) {
                next = readyAt[reader] < readyAt[next] ? reader : next;
            }
            now = readyAt[next];
            if (now < 10 * SECOND) {
                bytes += BLOCK;
                readyAt[next] = now + limit.delayAfter(BLOCK, now);
            }
        }
        long burst = rate / 10;
        assertThat(bytes).isBetween(10 * rate - 5 * BLOCK, 10 * rate + burst + 5 * BLOCK);
    }

    @Test
    void idleTimeFillsTheBucketOnlyToTheBurst() {
        DownloadLimit limit = new DownloadLimit(MIB, 0);
        assertThat(limit.delayAfter(BLOCK, 0)).isZero();
        int free = 0;
        while (limit.delayAfter(BLOCK, 3600 * SECOND) == 0) {
            free++;
        }
        assertThat(free).isEqualTo(6);
    }

    @Test
    void refusesANegativeRate() {
        assertThatThrownBy(() -> new DownloadLimit(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        DownloadLimit limit = new DownloadLimit(MIB, 0);
        assertThatThrownBy(() -> limit.setBytesPerSecond(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(limit.bytesPerSecond()).isEqualTo(MIB);
        assertThatThrownBy(() -> DownloadLimit.NONE.setBytesPerSecond(MIB, 0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(DownloadLimit.NONE.unlimited()).isTrue();
    }

    // ---- the rate changed while readers read ----------------------------------------------------------------

    /**
     * Five readers read as fast as the limit lets them, 3 MiB/s for five seconds and then 256 KiB/s: over the five
     * seconds after the change they get the new rate, and the blocks they had read past the bucket are paid for
     * at it (each reader's wait given at the old rate was its last).
     */
    @Test
    void aRateLoweredMidTransferHoldsFromTheChangeOn() {
        DownloadLimit limit = new DownloadLimit(3 * MIB, 0);
        long[] readyAt = new long[5];
        long change = 5 * SECOND;
        long before = readFor(limit, readyAt, 0, change);
        limit.setBytesPerSecond(256 * 1024, change);
        long after = readFor(limit, readyAt, change, 10 * SECOND);
        assertThat(limit.bytesPerSecond()).isEqualTo(256 * 1024);
        assertThat(before).isBetween(15 * MIB - 5 * BLOCK, 15 * MIB + 3 * MIB / 10 + 5 * BLOCK);
        // Each reader reads the block it waited for at the old rate, and then the new rate holds.
        assertThat(after).isBetween(5 * 256 * 1024L - 5 * BLOCK, 5 * 256 * 1024L + 5 * BLOCK);
    }

    @Test
    void aRaisedRateShortensTheWaitOfTheNextBlock() {
        DownloadLimit limit = new DownloadLimit(BLOCK, 0); // a block a second; the burst is one block
        assertThat(limit.delayAfter(BLOCK, 0)).isZero();
        assertThat(limit.delayAfter(BLOCK, 0)).isEqualTo(SECOND);
        assertThat(limit.holdingBack(0)).isTrue();
        limit.setBytesPerSecond(4 * BLOCK, 0); // the block in debt is paid in a quarter of a second
        assertThat(limit.holdingBack(SECOND / 4 - 1)).isTrue();
        assertThat(limit.holdingBack(SECOND / 4)).isFalse();
        limit.setBytesPerSecond(0, 0);
        assertThat(limit.delayAfter(BLOCK, 0)).isZero();
        limit.setBytesPerSecond(BLOCK, 0); // from none: a full bucket
        assertThat(limit.delayAfter(BLOCK, 0)).isZero();
        assertThat(limit.delayAfter(BLOCK, 0)).isEqualTo(SECOND);
    }

    /**
     * A reader keeps its block's place, and asking again after a change it gets the time at the new rate: earlier
     * when raised, later when lowered, at once when the limit is removed, and at once still when one is set again.
     */
    @Test
    void aReaderThatAsksAgainAfterAChangeGetsTheTimeOfTheNewRate() {
        DownloadLimit limit = new DownloadLimit(BLOCK, 0); // a block a second; the burst is one block
        long first = limit.count(BLOCK, 0);
        long second = limit.count(BLOCK, 0);
        long third = limit.count(BLOCK, 0);
        assertThat(limit.timeOf(first, 0)).isZero();
        assertThat(limit.timeOf(second, 0)).isEqualTo(SECOND);
        assertThat(limit.timeOf(third, 0)).isEqualTo(2 * SECOND);

        // Half a second on, half a block of the second's debt is left, and a block and a half of the third's:
        // at four blocks a second, an eighth of a second and three eighths.
        limit.setBytesPerSecond(4 * BLOCK, SECOND / 2);
        assertThat(limit.timeOf(second, SECOND / 2)).isEqualTo(SECOND / 2 + SECOND / 8);
        assertThat(limit.timeOf(third, SECOND / 2)).isEqualTo(SECOND / 2 + 3 * SECOND / 8);

        // Lowered to half a block a second when the second is free: the third's block is left, two seconds of it.
        limit.setBytesPerSecond(BLOCK / 2, SECOND / 2 + SECOND / 8);
        assertThat(limit.timeOf(second, SECOND / 2 + SECOND / 8)).isEqualTo(SECOND / 2 + SECOND / 8);
        assertThat(limit.timeOf(third, SECOND / 2 + SECOND / 8)).isEqualTo(SECOND / 2 + SECOND / 8 + 2 * SECOND);

        limit.setBytesPerSecond(0, SECOND);
        assertThat(limit.timeOf(third, SECOND)).isEqualTo(SECOND);
        limit.setBytesPerSecond(BLOCK, SECOND);
        assertThat(limit.timeOf(third, SECOND)).as("counted before the limit was removed").isEqualTo(SECOND);
        assertThat(limit.timeOf(limit.count(BLOCK, SECOND), SECOND)).as("a full bucket").isEqualTo(SECOND);
        assertThat(limit.timeOf(limit.count(BLOCK, SECOND), SECOND)).isEqualTo(2 * SECOND);
    }

    /**
     * Readers, each next ready at {@code readyAt}, read a block whenever they are ready from {@code from} to {@code
     * to}; returns the bytes read.
     */
    private static long readFor(DownloadLimit limit, long[] readyAt, long from, long to) {
        long bytes = 0;
        while (true) {
            int next = 0;
            for (int reader = 1; reader < readyAt.length; reader++) {
                next = readyAt[reader] < readyAt[next] ? reader : next;
            }
            long now = Math.max(from, readyAt[next]);
            if (now >= to) {
                return bytes;
            }
            bytes += BLOCK;
            readyAt[next] = now + limit.delayAfter(BLOCK, now);
        }
    }
}
