package dev.jtorrent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jtorrent.budget.RateBudget;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

class UploadLimitTest {
    private static final int BLOCK = 16 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1024 * 1024;

    @Test
    void withoutALimitEveryBlockGoesAtOnce() {
        UploadLimit none = new UploadLimit(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(none.tryTake(BLOCK, 0)).isTrue();
        }
        assertThat(none.unlimited()).isTrue();
        assertThat(none.nanosUntilAvailable(0)).isZero();
    }

    @Test
    void aFullBucketLetsATenthOfASecondGoAndThenSaysWhenTheNextMay() {
        UploadLimit limit = new UploadLimit(MIB, 0); // burst: 104,857 bytes, six blocks and a bit
        int sent = 0;
        while (limit.tryTake(BLOCK, 0)) {
            sent++;
        }
        assertThat(sent).isEqualTo(7); // the seventh takes the bucket into debt: 7 * 16384 - 104857 = 9831 bytes
        long wait = limit.nanosUntilAvailable(0);
        assertThat(wait).isEqualTo(Math.ceilDiv(9_831 * SECOND, MIB));
        assertThat(limit.tryTake(BLOCK, wait - 1_000_000)).isFalse();
        assertThat(limit.tryTake(BLOCK, wait)).isTrue();
    }

    @Test
    void overTenSecondsItSendsTheRateAndOneBurstAndNoMore() {
        long rate = 3 * MIB;
        UploadLimit limit = new UploadLimit(rate, 0);
        long now = 0;
        long bytes = 0;
        while (now < 10 * SECOND) {
            if (limit.tryTake(BLOCK, now)) {
                bytes += BLOCK;
            } else {
                now += Math.max(1, limit.nanosUntilAvailable(now));
            }
        }
        long burst = rate / 10;
        assertThat(bytes).isBetween(10 * rate, 10 * rate + burst + BLOCK);
    }

    @Test
    void aBlockLongerThanTheBurstStillGoes() {
        UploadLimit limit = new UploadLimit(1024, 0); // burst: the 16 KiB minimum
        assertThat(limit.tryTake(128 * 1024, 0)).isTrue();
        assertThat(limit.tryTake(BLOCK, 0)).isFalse();
        long wait = limit.nanosUntilAvailable(0);
        assertThat(wait).isEqualTo(Math.ceilDiv((128L * 1024 - 16 * 1024) * SECOND, 1024));
        assertThat(limit.tryTake(BLOCK, wait)).isTrue();
    }

    @Test
    void idleTimeFillsTheBucketOnlyToTheBurst() {
        UploadLimit limit = new UploadLimit(MIB, 0);
        assertThat(limit.tryTake(BLOCK, 0)).isTrue();
        int sent = 0;
        while (limit.tryTake(BLOCK, 3600 * SECOND)) {
            sent++;
        }
        assertThat(sent).isEqualTo(7);
    }

    @Test
    void refusesANegativeRate() {
        assertThatThrownBy(() -> new UploadLimit(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoTorrentsUnderOneSessionLimitTakeTurnsABlockEach() {
        RateBudget session = new RateBudget(BLOCK); // a block a second, and a block of burst
        UploadLimit a = new UploadLimit(0, 0, session); // no limit of their own
        UploadLimit b = new UploadLimit(0, 0, session);
        StringBuilder order = new StringBuilder();
        long now = 0;
        for (int step = 0; step < 8; step++, now += SECOND) {
            // Both ask every second; each sends when the time it reserved has come.
            if (a.nanosUntilAvailable(now) == 0) {
                a.spent(BLOCK);
                order.append('a');
            }
            if (b.nanosUntilAvailable(now) == 0) {
                b.spent(BLOCK);
                order.append('b');
            }
        }
        // Eight seconds' worth, and the burst's block: in turns, whichever asks first.
        assertThat(order.toString()).isEqualTo("ababababa");
    }

    @Test
    void theTorrentsOwnLimitComesFirstAndTheSessionsAfterIt() {
        RateBudget session = new RateBudget(MIB);
        UploadLimit own = new UploadLimit(BLOCK, 0, session); // its own: a block a second
        assertThat(own.tryTake(BLOCK, 0)).isTrue();
        assertThat(own.tryTake(BLOCK, 0)).isTrue(); // the burst of its own bucket
        assertThat(own.nanosUntilAvailable(0)).isEqualTo(SECOND);
        // Held back by its own limit, it reserved nothing with the session: another torrent goes at once.
        UploadLimit other = new UploadLimit(0, 0, session);
        assertThat(other.nanosUntilAvailable(0)).isZero();
    }

    // ---- limits changed while blocks go ---------------------------------------------------------------------

    /** Blocks go as fast as the limit lets them, 3 MiB/s for five seconds and then 512 KiB/s: each rate holds. */
    @Test
    void aRateLoweredMidTransferHoldsFromTheChangeOn() {
        UploadLimit limit = new UploadLimit(3 * MIB, 0);
        long before = sendFor(limit, 0, 5 * SECOND);
        limit.setBytesPerSecond(512 * 1024, 5 * SECOND);
        long after = sendFor(limit, 5 * SECOND, 10 * SECOND);
        assertThat(limit.bytesPerSecond()).isEqualTo(512 * 1024);
        assertThat(before).isBetween(15 * MIB, 15 * MIB + 3 * MIB / 10 + BLOCK);
        // What the bucket held at the change (up to the new burst) may go at once; then the new rate.
        assertThat(after).isBetween(5 * 512 * 1024L - BLOCK, 5 * 512 * 1024L + 512 * 1024 / 10 + 2 * BLOCK);
    }

    @Test
    void aRaisedRateLetsTheNextBlockGoSooner() {
        UploadLimit limit = new UploadLimit(BLOCK, 0); // a block a second; the burst, one block
        assertThat(limit.tryTake(BLOCK, 0)).isTrue();
        assertThat(limit.tryTake(BLOCK, 0)).isTrue(); // into debt by a block
        assertThat(limit.nanosUntilAvailable(0)).isEqualTo(SECOND);
        limit.setBytesPerSecond(4 * BLOCK, 0);
        assertThat(limit.nanosUntilAvailable(0)).isEqualTo(SECOND / 4);
        limit.setBytesPerSecond(0, 0);
        assertThat(limit.unlimited()).isTrue();
        assertThat(limit.nanosUntilAvailable(0)).isZero();
        limit.setBytesPerSecond(BLOCK, 0); // a limit again: the bucket starts full
        assertThat(limit.tryTake(BLOCK, 0)).isTrue();
        assertThat(limit.nanosUntilAvailable(0)).isZero(); // the bucket empty, not in debt
        assertThatThrownBy(() -> limit.setBytesPerSecond(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(limit.bytesPerSecond()).isEqualTo(BLOCK);
    }

    /** The block waiting for the session's limit asks for its time again at each turn: a change counts for it. */
    @Test
    void aChangeOfTheSessionsLimitCountsForTheBlockThatWaitsForIt() {
        AtomicLong clock = new AtomicLong();
        RateBudget session = new RateBudget(BLOCK, clock::get); // a block a second, and a block of burst
        UploadLimit limit = new UploadLimit(0, 0, session);
        UploadLimit other = new UploadLimit(0, 0, session);
        assertThat(other.nanosUntilAvailable(0)).isZero();
        other.spent(BLOCK);
        assertThat(other.nanosUntilAvailable(0)).isZero();
        other.spent(BLOCK);
        assertThat(other.nanosUntilAvailable(0)).isEqualTo(SECOND); // the session's next second is the other's
        assertThat(limit.nanosUntilAvailable(0)).isEqualTo(2 * SECOND);

        session.setBytesPerSecond(BLOCK / 2);
        assertThat(limit.nanosUntilAvailable(0)).isEqualTo(4 * SECOND);
        session.setBytesPerSecond(4 * BLOCK);
        assertThat(limit.nanosUntilAvailable(0)).isEqualTo(SECOND / 2);
        session.setBytesPerSecond(0);
        assertThat(limit.nanosUntilAvailable(0)).isZero();
    }

    /** Bytes sent from {@code from} to {@code to}, a block whenever the limit lets one go. */
    private static long sendFor(UploadLimit limit, long from, long to) {
        long bytes = 0;
        for (long now = from; now < to; ) {
            if (limit.tryTake(BLOCK, now)) {
                bytes += BLOCK;
            } else {
                now += Math.max(1, limit.nanosUntilAvailable(now));
            }
        }
        return bytes;
    }
}
