package dev.jtorrent.daemon.transmission;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code X-Transmission-Session-Id} token against cross-site request forgery: 48 characters of [A-Za-z0-9] from
 * a {@link SecureRandom}, shared by every client, and replaced every {@link #LIFETIME} as transmission-daemon
 * replaces it (a client that holds an old one gets a 409 with the new one and retries).
 */
final class SessionId {
    static final int LENGTH = 48;
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private String id;
    private Instant made;

    SessionId(Clock clock) {
        this.clock = clock;
    }

    /** The id in force now. */
    synchronized String current() {
        Instant now = clock.instant();
        if (id == null || !now.isBefore(made.plus(LIFETIME))) {
            id = make();
            made = now;
        }
        return id;
    }

    /** Whether {@code presented} is the id in force, compared in time independent of where they differ. */
    boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                current().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private String make() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }
}
