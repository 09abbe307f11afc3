package dev.jtorrent.utp;

/**
 * The lowest one-way delay sample of the last two minutes, BEP 29's {@code base_delay}: the delay of the path with
 * empty queues, against which each new sample tells how much is queued. Kept as the minimum of each minute, three
 * minutes at most (the current one and the two before), so an old minimum ages out and a route that got slower is
 * learnt. Samples are timestamp differences of unsynchronised clocks in 32 bits, so they wrap: comparisons are
 * made the shorter way round.
 */
final class BaseDelay {
    static final long MINUTE_NANOS = 60_000_000_000L;
    static final int MINUTES = 3;

    private final int[] minimumOfMinute = new int[MINUTES];
    private final boolean[] hasSample = new boolean[MINUTES];
    private int current;
    private long minuteStart = Long.MIN_VALUE;

    /** Records {@code sample} taken at {@code now} and returns how far it is above the base delay, in micros. */
    long add(int sample, long now) {
        if (minuteStart == Long.MIN_VALUE) {
            minuteStart = now;
        }
        while (now - minuteStart >= MINUTE_NANOS) {
            minuteStart += MINUTE_NANOS;
            current = (current + 1) % MINUTES;
            hasSample[current] = false;
        }
        if (!hasSample[current] || lessThan(sample, minimumOfMinute[current])) {
            minimumOfMinute[current] = sample;
            hasSample[current] = true;
        }
        int base = sample;
        for (int i = 0; i < MINUTES; i++) {
            if (hasSample[i] && lessThan(minimumOfMinute[i], base)) {
                base = minimumOfMinute[i];
            }
        }
        return (sample - base) & 0xFFFF_FFFFL;
    }

    private static boolean lessThan(int a, int b) {
        return b - a > 0;
    }
}
