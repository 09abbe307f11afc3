package dev.jtorrent.daemon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The daemon's one account: a user name and the hash of its password.
 *
 * <p>The Transmission RPC sends the user name and password with every request (HTTP Basic), and PBKDF2 is slow on
 * purpose: checking it on each request would cost a web client polling every two seconds a core's worth of hashing.
 * So the SHA-256 digest of the pair that last passed is remembered, and a request carrying the same pair passes
 * without PBKDF2. Only one pair can pass (one user, one password), so one digest is all there is to remember; a
 * wrong password always pays the whole derivation, and the cache gives nothing the right password would not.
 * Every comparison is {@link MessageDigest#isEqual}, whose time does not depend on where the bytes differ; the user
 * name is compared by digest too, so that its length does not show either, and the password is derived even when
 * the name is wrong.
 */
final class Account implements HttpAccess.Credentials {
    private final String user;
    private final byte[] userDigest;
    private final PasswordHash password;
    /** The digest of the pair that last passed, or null before one did. */
    private volatile byte[] passed;

    Account(String user, PasswordHash password) {
        this.user = Objects.requireNonNull(user, "user");
        this.userDigest = sha256(user);
        this.password = Objects.requireNonNull(password, "password");
    }

    String user() {
        return user;
    }

    PasswordHash password() {
        return password;
    }

    @Override
    public boolean check(String user, String password) {
        if (user == null || password == null) {
            return false;
        }
        byte[] pair = sha256(user.length() + ":" + user + ":" + password);
        byte[] known = passed;
        if (known != null && MessageDigest.isEqual(known, pair)) {
            return true;
        }
        boolean userMatches = MessageDigest.isEqual(userDigest, sha256(user));
        boolean passwordMatches = this.password.matches(password);
        if (!(userMatches && passwordMatches)) {
            return false;
        }
        passed = pair;
        return true;
    }

    /** Whether a pair that passed is remembered; for tests. */
    boolean remembers() {
        return passed != null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
