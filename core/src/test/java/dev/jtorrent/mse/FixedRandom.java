package dev.jtorrent.mse;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/** A "secure" random that gives the same bytes for the same seed: the same keys and pads on every run. */
final class FixedRandom extends SecureRandom {
    private final SplittableRandom random;

    FixedRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }
}
