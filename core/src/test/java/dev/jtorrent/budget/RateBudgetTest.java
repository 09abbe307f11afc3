package dev.jtorrent.budget;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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
    void withoutALimitEverythingGoesNow() {
        RateBudget none = RateBudget.unlimited();
        assertThat(none.isUnlimited()).isTrue();
        assertThat(none.reserve(Long.MAX_VALUE / 2, 5)).isEqualTo(5);
        assertThat(none.timeOf(none.claim(Long.MAX_VALUE / 2, 5), 5)).isEqualTo(5);
        assertThatThrownBy(() -> new RateBudget(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.reserve(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.claim(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- the limit changed while bytes go through, on a clock the test moves --------------------------------

    /**
     * Four callers move blocks as fast as the budget lets them, on the test's clock: 1 MiB a second, then from the
     * fifth second 256 KiB a second. Over the five seconds after the change they move no more than the new rate
     * allows (and one block more for each caller whose time was given at the old rate), and no less.
     */
    @Test
    void aRateLoweredMidTransferHoldsFromTheChangeOn() {
        AtomicLong clock = new AtomicLong();
        RateBudget budget = new RateBudget(MIB, clock::get);
        long change = 5 * SECOND;
        long end = 10 * SECOND;
        long[] readyAt = new long[4];
        for (int caller = 0; caller < readyAt.length; caller++) {
            readyAt[caller] = budget.reserve(BLOCK, 0);
        }
        long before = 0;
        long after = 0;
        boolean changed = false;
        while (true) {
            int next = 0;
            for (int caller = 1; caller < readyAt.length; caller++) {
                next = readyAt[caller] < readyAt[next] ? caller : next;
            }
            long now = readyAt[next];
            if (now >= end) {
                break;
            }
            if (!changed && now >= change) {
                clock.set(change);
                budget.setBytesPerSecond(256 * 1024);
                changed = true;
            }
            clock.set(now);
            // The caller moves its block at the time it was given, then reserves its next one.
            if (now < change) {
                before += BLOCK;
            } else {
                after += BLOCK;
            }
            readyAt[next] = budget.reserve(BLOCK, now);
        }
        assertThat(budget.bytesPerSecond()).isEqualTo(256 * 1024);
        assertThat(before).as("bytes in the five seconds at 1 MiB/s")
                .isBetween(5 * MIB - 4 * BLOCK, 5 * MIB + MIB / 10 + BLOCK);
        assertThat(after).as("bytes in the five seconds at 256 KiB/s")
                .isBetween(5 * 256 * 1024L - 4 * BLOCK, 5 * 256 * 1024L + 5 * BLOCK);
    }

    /** Bytes claimed and not gone yet go at the new rate: later if it was lowered, earlier if it was raised. */
    @Test
    void bytesClaimedBeforeAChangeGoAtTheNewRate() {
        AtomicLong clock = new AtomicLong();
        RateBudget budget = new RateBudget(BLOCK, clock::get); // a block a second; the burst, one block
        long[] places = new long[11];
        for (int i = 0; i < places.length; i++) {
            places[i] = budget.claim(BLOCK, 0);
        }
        assertThat(budget.timeOf(places[10], 0)).isEqualTo(9 * SECOND); // the first went with the burst

        clock.set(2 * SECOND); // three blocks have gone, and the fourth goes now
        budget.setBytesPerSecond(4 * BLOCK);
        assertThat(budget.timeOf(places[2], 2 * SECOND)).isEqualTo(2 * SECOND);
        assertThat(budget.timeOf(places[3], 2 * SECOND)).isEqualTo(2 * SECOND);
        assertThat(budget.timeOf(places[4], 2 * SECOND)).isEqualTo(2 * SECOND + SECOND / 4);
        assertThat(budget.timeOf(places[10], 2 * SECOND)).isEqualTo(2 * SECOND + 7 * SECOND / 4);

        clock.set(3 * SECOND); // seven have gone, the eighth goes now, and the ninth half a second later
        budget.setBytesPerSecond(2 * BLOCK);
        assertThat(budget.timeOf(places[7], 3 * SECOND)).isEqualTo(3 * SECOND);
        assertThat(budget.timeOf(places[8], 3 * SECOND)).isEqualTo(3 * SECOND + SECOND / 2);
        assertThat(budget.timeOf(places[10], 3 * SECOND)).isEqualTo(3 * SECOND + 3 * SECOND / 2);
        // The next one claimed comes after all of them.
        assertThat(budget.reserve(BLOCK, 3 * SECOND)).isEqualTo(3 * SECOND + 2 * SECOND);
    }

    @Test
    void noLimitLetsEverythingClaimedGoAtOnceAndALimitSetAgainStartsWithABurst() {
        AtomicLong clock = new AtomicLong();
        RateBudget budget = new RateBudget(BLOCK, clock::get);
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = budget.claim(BLOCK, 0);
        }
        assertThat(budget.holdingBack(0)).isTrue();

        budget.setBytesPerSecond(0);
        assertThat(budget.isUnlimited()).isTrue();
        assertThat(budget.timeOf(last, 0)).isZero();
        assertThat(budget.holdingBack(0)).isFalse();

        clock.set(SECOND);
        budget.setBytesPerSecond(BLOCK);
        assertThat(budget.timeOf(last, SECOND)).isEqualTo(SECOND); // claimed while it was limited before: gone
        assertThat(budget.reserve(BLOCK, SECOND)).isEqualTo(SECOND); // the burst
        assertThat(budget.reserve(BLOCK, SECOND)).isEqualTo(SECOND);
        assertThat(budget.reserve(BLOCK, SECOND)).isEqualTo(2 * SECOND);
    }

    /** Lowered after an idle spell, the burst left is kept and no bytes gone before are counted again. */
    @Test
    void aChangeWhileIdleCountsNothingThatWentBefore() {
        AtomicLong clock = new AtomicLong();
        RateBudget budget = new RateBudget(MIB, clock::get);
        for (int i = 0; i < 64; i++) {
            budget.reserve(BLOCK, 0); // a second's worth: all gone by 0.9 s
        }
        clock.set(10 * SECOND);
        budget.setBytesPerSecond(BLOCK);
        assertThat(budget.reserve(BLOCK, 10 * SECOND)).isEqualTo(10 * SECOND);
        assertThat(budget.reserve(BLOCK, 10 * SECOND)).isEqualTo(10 * SECOND); // the burst: one block at this rate
        assertThat(budget.reserve(BLOCK, 10 * SECOND)).isEqualTo(11 * SECOND);
    }

    /**
     * A caller parked until its time, with no timeout at all, is woken by a change of the rate and asks again: it
     * would otherwise sleep through the raise (here, forever; in a reader, until the time of the old rate).
     */
    @Test
    void aChangeWakesTheCallersParkedUntilTheirTime() throws Exception {
        RateBudget budget = new RateBudget(1024, () -> 0); // 16 s a block
        budget.claim(BLOCK, 0); // goes now
        budget.claim(BLOCK, 0); // goes now too: the burst is one block
        long place = budget.claim(BLOCK, 0);
        assertThat(budget.timeOf(place, 0)).isEqualTo(16 * SECOND);
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<Long> woken = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            budget.waiters().enter();
            try {
                long time;
                while ((time = budget.timeOf(place, 0)) > 0) {
                    asked.countDown();
                    LockSupport.park(); // a change, and nothing else, ends it (or a spurious wake: it asks again)
                }
                woken.complete(time);
            } finally {
                budget.waiters().leave();
            }
        });
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();

        budget.setBytesPerSecond(0);

        assertThat(woken.get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aNegativeRateIsRefusedAndChangesNothing() {
        RateBudget budget = new RateBudget(MIB, () -> 0);
        assertThatThrownBy(() -> budget.setBytesPerSecond(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThat(budget.bytesPerSecond()).isEqualTo(MIB);
    }
}
