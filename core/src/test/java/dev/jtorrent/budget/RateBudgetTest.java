package dev.jtorrent.budget;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RateBudget}'s reservations, at instants the test gives. */
class RateBudgetTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int BLOCK = 16 * 1024;
    private static final long MIB = 1024 * 1024;

    @Test
    void reservationsFollowEachOtherAtTheRateAfterABurst() {
        RateBudget budget = new RateBudget(MIB); // burst: a tenth of a second, 104,857 bytes
        long now = 100 * SECOND;
        int atOnce = 0;
        long last = 0;
        for (int i = 0; i < 64; i++) { // 1 MiB in all, everything reserved at one instant
            last = budget.reserve(BLOCK, now);
            atOnce += last == now ? 1 : 0;
        }
        assertThat(atOnce).isEqualTo(7); // the burst, and the block that starts within it
        // The last block goes when 63 blocks have gone at the rate, less the burst: about 0.88 s on.
        assertThat(last - now).isBetween(63L * BLOCK * SECOND / MIB - SECOND / 10 - 1000,
                63L * BLOCK * SECOND / MIB - SECOND / 10 + 1000);
    }

    @Test
    void callersTakeTurnsInTheOrderTheyReserved() {
        RateBudget budget = new RateBudget(BLOCK); // one block a second; the burst, one block more
        long now = 0;
        long a = budget.reserve(BLOCK, now);
        long b = budget.reserve(BLOCK, now);
        long c = budget.reserve(BLOCK, now);
        assertThat(a).isEqualTo(now);
        assertThat(b).isEqualTo(now);
        assertThat(c - b).isEqualTo(SECOND);
        // A comes back as soon as its block has gone and reserves again: it goes after C, not before.
        long aAgain = budget.reserve(BLOCK, a + 1);
        assertThat(aAgain - c).isEqualTo(SECOND);
    }

    @Test
    void holdsBackWhileReservationsReachPastNow() {
        RateBudget budget = new RateBudget(BLOCK);
        assertThat(budget.holdingBack(0)).isFalse();
        budget.reserve(BLOCK, 0); // the burst
        budget.reserve(BLOCK, 0); // goes at once, and the link is busy for a second after it
        assertThat(budget.holdingBack(SECOND - 1)).isTrue();
        assertThat(budget.holdingBack(SECOND)).isFalse();
        assertThat(RateBudget.unlimited().holdingBack(0)).isFalse();
    }

    @Test
    void idleTimeIsNotSavedUpBeyondTheBurst() {
        RateBudget budget = new RateBudget(MIB);
        budget.reserve(BLOCK, 0);
        long later = 3600 * SECOND;
        int atOnce = 0;
        for (int i = 0; i < 20; i++) {
            atOnce += budget.reserve(BLOCK, later) == later ? 1 : 0;
        }
        assertThat(atOnce).isEqualTo(7);
    }

    @Test
    void withoutALimitEverythingGoesNow() throws InterruptedException {
        RateBudget none = RateBudget.unlimited();
        assertThat(none.isUnlimited()).isTrue();
        assertThat(none.reserve(Long.MAX_VALUE / 2, 5)).isEqualTo(5);
        none.await(BLOCK);
        assertThatThrownBy(() -> new RateBudget(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.reserve(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
