package dev.jtorrent.lsd;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    /** Near the end of the range, where a careless comparison of nanoTime values overflows. */
    private static final long T0 = Long.MAX_VALUE - 2 * SECOND;

    @Test
    void allowsABurstThenOneEachPeriod() {
        TokenBucket bucket = new TokenBucket(3, Duration.ofSeconds(1), T0);

        assertThat(bucket.tryTake(T0)).isTrue();
        assertThat(bucket.tryTake(T0)).isTrue();
        assertThat(bucket.tryTake(T0)).isTrue();
        assertThat(bucket.tryTake(T0)).as("past the burst").isFalse();
        assertThat(bucket.nextAllowed(T0)).isEqualTo(T0 + SECOND);
        assertThat(bucket.tryTake(T0 + SECOND - 1)).isFalse();
        assertThat(bucket.tryTake(T0 + SECOND)).isTrue();
        assertThat(bucket.tryTake(T0 + SECOND)).isFalse();
    }

    @Test
    void refillsToTheBurstAndNoFurtherWhileUnused() {
        TokenBucket bucket = new TokenBucket(2, Duration.ofSeconds(1), T0 - 100 * SECOND);
        long now = T0;

        assertThat(bucket.nextAllowed(now)).isEqualTo(now);
        assertThat(bucket.tryTake(now)).isTrue();
        assertThat(bucket.tryTake(now)).isTrue();
        assertThat(bucket.tryTake(now)).isFalse();
    }

    @Test
    void refusesAnEmptyBurstOrPeriod() {
        assertThatThrownBy(() -> new TokenBucket(0, Duration.ofSeconds(1), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, Duration.ZERO, T0)).isInstanceOf(IllegalArgumentException.class);
    }
}
