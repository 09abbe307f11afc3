package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The tokens a {@code get_peers} answer hands out and an {@code announce_peer} must bring back (BEP 5), so that a
 * node can announce only the address it queries from. A token is the first {@value #LENGTH} bytes of
 * SHA-1(secret, IP address); nothing is stored per querier. The secret changes every {@link #ROTATE_NANOS} and the
 * previous one is still accepted, so a token is good for five to ten minutes.
 */
final class Tokens {
    /** How often the secret changes (BEP 5: every five minutes). */
    static final long ROTATE_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** Bytes of a token. */
    static final int LENGTH = 8;
    private static final int SECRET_LENGTH = 16;

    private final RandomGenerator random;
    private byte[] current;
    private byte[] previous;
    private long rotatedAt;

    Tokens(RandomGenerator random, long now) {
        this.random = random;
        this.current = secret();
        this.previous = secret();
        this.rotatedAt = now;
    }

    /** Changes the secret if it is due; called on every timer tick. */
    void rotateIfDue(long now) {
        if (now - rotatedAt >= ROTATE_NANOS) {
            previous = current;
            current = secret();
            rotatedAt = now;
        }
    }

    BString tokenFor(InetAddress ip) {
        return BString.of(token(current, ip));
    }

    boolean valid(BString token, InetAddress ip) {
        byte[] t = token.bytes();
        return MessageDigest.isEqual(t, token(current, ip)) || MessageDigest.isEqual(t, token(previous, ip));
    }

    private byte[] secret() {
        byte[] s = new byte[SECRET_LENGTH];
        random.nextBytes(s);
        return s;
    }

    private static byte[] token(byte[] secret, InetAddress ip) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(ip.getAddress());
            return Arrays.copyOf(sha1.digest(), LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
