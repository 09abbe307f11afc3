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
    }
}
