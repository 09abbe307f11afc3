package dev.jtorrent.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** The 20 bytes a peer names itself with in handshakes and announces (BEP 3, BEP 20 for the client prefix). */
public final class PeerId {
    public static final int LENGTH = 20;

    /*
     * The random part uses URL-safe characters rather than raw bytes, as libtorrent does: peer ids travel in tracker
     * URLs and logs, and 62^12 (about 2^71) values are still plenty to avoid collisions.
     */
    private static final byte[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A peer id from its 20 raw bytes. */
    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    /**
     * A fresh peer id: {@code clientPrefix} (Azureus style, such as {@code -JT0010-}) followed by random characters.
     * A peer id is public and needs to be unlikely to repeat, not to be unpredictable: {@link SplittableRandom}'s
     * seeding (the clock, and a sequence within the JVM) serves, without starting the JDK's security providers
     * (about 0.03 CPU s) as {@code SecureRandom} would at every start.
     */
    public static PeerId random(String clientPrefix) {
        return random(clientPrefix, new SplittableRandom());
    }

    /** As {@link #random(String)}, drawing from {@code random} so that tests and simulations are repeatable. */
    public static PeerId random(String clientPrefix, RandomGenerator random) {
        byte[] prefix = clientPrefix.getBytes(StandardCharsets.US_ASCII);
        if (prefix.length > LENGTH) {
            throw new IllegalArgumentException("client prefix longer than " + LENGTH + " bytes: " + clientPrefix);
        }
        byte[] id = Arrays.copyOf(prefix, LENGTH);
        for (int i = prefix.length; i < LENGTH; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new PeerId(id);
    }

    /** A copy of the 20 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The 40 lower-case hexadecimal digits. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The id as text where it is printable ASCII, as most are, with other bytes escaped as {@code \xNN}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(LENGTH + 8);
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                s.append((char) b);
            } else {
                s.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return s.toString();
    }
}
