package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The timers and the window, on numbers given by the test. */
class CongestionTest {
    @Test
    void timeoutIsOneSecondFirstThenRttPlusFourVariancesAtLeastHalfASecondDoubledPerTimeout() {
        RttEstimator rtt = new RttEstimator();
        assertThat(rtt.timeoutMicros(0)).isEqualTo(1_000_000);
        rtt.sample(10_000); // 10 ms: rtt 10, var 5 -> 30 ms, under the floor
        assertThat(rtt.timeoutMicros(0)).isEqualTo(RttEstimator.MIN_TIMEOUT_MICROS);
        assertThat(rtt.timeoutMicros(1)).isEqualTo(2 * RttEstimator.MIN_TIMEOUT_MICROS);
        assertThat(rtt.timeoutMicros(3)).isEqualTo(8 * RttEstimator.MIN_TIMEOUT_MICROS);
        assertThat(rtt.timeoutMicros(30)).isEqualTo(RttEstimator.MAX_TIMEOUT_MICROS);
        RttEstimator slow = new RttEstimator();
        slow.sample(400_000);
        slow.sample(600_000); // var 200 + (200 - 200)/4 = 200... rtt 425
        assertThat(slow.rttMicros()).isEqualTo(425_000);
        assertThat(slow.timeoutMicros(0)).isEqualTo(425_000 + 4 * 200_000);
        assertThat(slow.recoveryMicros()).isEqualTo(425_000 + 4 * 200_000);
        assertThat(rtt.recoveryMicros()).isEqualTo(30_000);
    }

    @Test
    void slowStartGrowsByTheBytesAckedUntilTheDelayReachesTheTarget() {
        Ledbat ledbat = new Ledbat();
        // the larger of the bytes acked and the linear gain (as libtorrent): 10,000 against 3,000 * 0.99
        ledbat.onAck(10_000, 1_000, 10_000, 1_400, true);
        assertThat(ledbat.window()).isEqualTo(11_500);
        ledbat.onAck(20_000, 1_000, 20_000, 1_400, true);
        assertThat(ledbat.window()).isEqualTo(31_500);
        assertThat(ledbat.inSlowStart()).isTrue();
        ledbat.onAck(3_000, Ledbat.TARGET_DELAY_MICROS, 6_000, 1_400, true);
        assertThat(ledbat.inSlowStart()).isFalse();
        assertThat(ledbat.window()).isEqualTo(31_500); // at the target: no gain either way
    }

    @Test
    void aboveTheTargetTheWindowShrinksByAtMostTheGainPerWindowAndNeverUnderOnePacket() {
        Ledbat ledbat = new Ledbat();
        ledbat.onAck(100_000, 0, 100_000, 1_400, true);
        long before = ledbat.window();
        ledbat.onAck(before, 3 * Ledbat.TARGET_DELAY_MICROS, before, 1_400, true); // a whole window at 300 ms
        assertThat(ledbat.window()).isEqualTo(before - 2 * Ledbat.GAIN_BYTES);
        for (int i = 0; i < 1_000; i++) {
            ledbat.onAck(ledbat.window(), 10 * Ledbat.TARGET_DELAY_MICROS, ledbat.window(), 1_400, true);
        }
        assertThat(ledbat.window()).isEqualTo(1_400);
    }

    @Test
    void aWindowTheSenderDoesNotFillDoesNotGrow() {
        Ledbat ledbat = new Ledbat();
        ledbat.onAck(1_500, 0, 1_500, 1_400, false);
        assertThat(ledbat.window()).isEqualTo(Ledbat.INITIAL_WINDOW);
    }

    @Test
    void lossHalvesTheWindowOncePerIntervalAndATimeoutGoesBackToOnePacket() {
        Ledbat ledbat = new Ledbat();
        ledbat.onAck(98_500, 0, 98_500, 1_400, true);
        assertThat(ledbat.window()).isEqualTo(100_000);
        assertThat(ledbat.onLoss(0, 1_400)).isTrue();
        assertThat(ledbat.window()).isEqualTo(50_000);
        assertThat(ledbat.onLoss(Ledbat.LOSS_INTERVAL_NANOS - 1, 1_400)).isFalse();
        assertThat(ledbat.window()).isEqualTo(50_000);
        assertThat(ledbat.onLoss(Ledbat.LOSS_INTERVAL_NANOS, 1_400)).isTrue();
        assertThat(ledbat.window()).isEqualTo(25_000);
        ledbat.onTimeout(1_400, false);
        assertThat(ledbat.window()).isEqualTo(1_400);
        assertThat(ledbat.inSlowStart()).isTrue();
        // slow start again ends at the threshold the first loss left (50,000)
        ledbat.onAck(30_000, 0, 30_000, 1_400, true);
        assertThat(ledbat.inSlowStart()).isTrue();
        ledbat.onAck(30_000, 0, 30_000, 1_400, true);
        assertThat(ledbat.inSlowStart()).isFalse();
    }

    @Test
    void theWindowIsCappedAtItsMaximum() {
        Ledbat ledbat = new Ledbat();
        for (int i = 0; i < 100; i++) {
            ledbat.onAck(ledbat.window(), 0, ledbat.window(), 1_400, true);
        }
        assertThat(ledbat.window()).isEqualTo(Ledbat.MAX_WINDOW);
    }

    @Test
    void baseDelayIsTheMinimumOfTheLastTwoMinutesAndWraps() {
        BaseDelay base = new BaseDelay();
        long t = 0;
        assertThat(base.add(1_000_000, t)).isZero();
        assertThat(base.add(1_050_000, t + 1)).isEqualTo(50_000);
        assertThat(base.add(900_000, t + 2)).isZero();
        assertThat(base.add(1_000_000, t + 3)).isEqualTo(100_000);
        // three minutes on, the old minimum has aged out
        t += 3 * BaseDelay.MINUTE_NANOS;
        assertThat(base.add(2_000_000, t)).isZero();
        // samples of unsynchronised clocks wrap around 2^32
        BaseDelay wrapping = new BaseDelay();
        wrapping.add(Integer.MAX_VALUE - 10, 0);
        assertThat(wrapping.add(Integer.MIN_VALUE + 10, 1)).isEqualTo(21);
    }

    @Test
    void pathMtuSearchesBetweenTheFloorAndTheCeiling() {
        PathMtu mtu = new PathMtu(1_472);
        assertThat(mtu.packetSize()).isEqualTo(PathMtu.FLOOR);
        int probe = mtu.nextProbe();
        assertThat(probe).isEqualTo((PathMtu.FLOOR + 1_472 + 1) / 2);
        mtu.probeSent(10, probe);
        assertThat(mtu.nextProbe()).as("one probe at a time").isZero();
        mtu.probeAcked();
        assertThat(mtu.packetSize()).isEqualTo(probe);
        int second = mtu.nextProbe();
        mtu.probeSent(11, second);
        mtu.probeLost();
        assertThat(mtu.ceiling()).isEqualTo(second - 1);
        while (mtu.nextProbe() > 0) {
            int p = mtu.nextProbe();
            mtu.probeSent(12, p);
            mtu.probeAcked();
        }
        assertThat(mtu.ceiling() - mtu.packetSize()).isLessThanOrEqualTo(PathMtu.DONE_WITHIN);
    }

    @Test
    void sequenceNumbersCompareTheShortWayRound() {
        assertThat(SeqNr.before(1, 2)).isTrue();
        assertThat(SeqNr.before(2, 1)).isFalse();
        assertThat(SeqNr.before(0xFFFF, 0)).isTrue();
        assertThat(SeqNr.before(0, 0xFFFF)).isFalse();
        assertThat(SeqNr.before(5, 5)).isFalse();
        assertThat(SeqNr.plus(0xFFFF, 2)).isEqualTo(1);
        assertThat(SeqNr.distance(0xFFFE, 3)).isEqualTo(5);
    }

    @Test
    void aRingGrowsByDoublingUpToItsCapacityAndKeepsOrderAcrossTheWrap() {
        ByteRing ring = new ByteRing(64 * 1024);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(100_000);
        for (int i = 0; i < in.capacity(); i++) {
            in.put(i, (byte) i);
        }
        in.limit(10_000);
        assertThat(ring.write(in)).isEqualTo(10_000);
        assertThat(ring.allocated()).isEqualTo(ByteRing.INITIAL_BYTES);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(100_000);
        out.limit(6_000);
        ring.read(out);
        in.limit(100_000);
        assertThat(ring.write(in)).isEqualTo(64 * 1024 - 4_000); // up to the capacity, no more
        assertThat(ring.allocated()).isEqualTo(64 * 1024);
        out.limit(100_000);
        int n = ring.read(out);
        assertThat(n).isEqualTo(64 * 1024);
        for (int i = 0; i < 6_000 + n; i++) {
            assertThat(out.get(i)).isEqualTo((byte) i);
        }
    }
}
