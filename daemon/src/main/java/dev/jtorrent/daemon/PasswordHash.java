package dev.jtorrent.daemon;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A password as the settings keep it: never the password itself, but PBKDF2 (HMAC-SHA256) of it with a random salt,
 * as qBittorrent keeps its Web UI password ({@code WebUI\Password_PBKDF2}), so that a leaked settings file does not
 * give the password away.
 *
 * @param iterations PBKDF2's iteration count, {@link #ITERATIONS} for a new hash; one read from the settings is
 *                   honoured within {@link #MIN_ITERATIONS} and {@link #MAX_ITERATIONS}
 * @param salt       {@link #SALT_BYTES} random bytes
 * @param hash       the derived key, {@link #HASH_BYTES} bytes
 */
record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** qBittorrent's count: about 50 ms on a small server, paid once per client thanks to {@link Account}'s cache. */
    static final int ITERATIONS = 100_000;
    /** Fewer would make a leaked hash cheap to attack. */
    static final int MIN_ITERATIONS = 10_000;
    /** More would let a hand-edited setting make every login a long computation. */
    static final int MAX_ITERATIONS = 10_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Characters of a generated password, from {@link #ALPHABET}: about 95 bits. */
    static final int GENERATED_LENGTH = 16;
    /** Letters and digits without the look-alikes 0, O, 1, l and I, so that the printed password is read right. */
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    PasswordHash {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be from " + MIN_ITERATIONS + " to "
                    + MAX_ITERATIONS + ", not " + iterations);
        }
        if (salt.length != SALT_BYTES || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a password hash has a salt of " + SALT_BYTES + " bytes and a hash of "
                    + HASH_BYTES + ", not " + salt.length + " and " + hash.length);
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** The hash of {@code password} with a new random salt. */
    static PasswordHash of(String password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    /** A new random password of {@link #GENERATED_LENGTH} characters. */
    static String generate(SecureRandom random) {
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /** Whether {@code password} is the one hashed; the comparison takes the same time wherever the bytes differ. */
    boolean matches(String password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this JDK", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    String saltBase64() {
        return Base64.getEncoder().encodeToString(salt);
    }

    String hashBase64() {
        return Base64.getEncoder().encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordHash that && iterations == that.iterations
                && Arrays.equals(salt, that.salt) && Arrays.equals(hash, that.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "PasswordHash[" + ALGORITHM + ", " + iterations + " iterations]";
    }
}
