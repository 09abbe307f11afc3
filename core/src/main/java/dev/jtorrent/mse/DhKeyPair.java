package dev.jtorrent.mse;

import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;

/**
 * One side's Diffie-Hellman key pair for an MSE handshake, in the spec's group: the 768-bit prime {@link #P} (the
 * Oakley group 1 prime of RFC 2409), generator 2, and a private key of {@value #PRIVATE_KEY_BITS} bits. Public keys
 * and the shared secret go on the wire as {@value #KEY_LENGTH} big-endian bytes, zero-padded on the left.
 *
 * <p>The JDK's own "DH" key pair generator and key agreement do the arithmetic: the JDK accepts this 768-bit group
 * for both (checked on JDK 21 and 25; only TLS refuses DH groups this small, through its own disabled-algorithm
 * list), so there is no modular exponentiation of ours to get wrong.
 *
 * <p>A peer's public key Y must satisfy 1 &lt; Y &lt; P - 1: with Y = 0, 1 or P - 1 the shared secret is 0, 1 or
 * ±1 whatever our private key, so a peer (or a man in the middle) would know the RC4 keys without a key exchange;
 * Y &ge; P is not a member of the group. Such a key is refused with an {@link MseException} before any agreement.
 */
final class DhKeyPair {
    /** The MSE prime, 768 bits. */
    static final BigInteger P = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A4"
                    + "31B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
    private static final BigInteger P_MINUS_ONE = P.subtract(BigInteger.ONE);
    static final BigInteger G = BigInteger.TWO;
    /** Bytes of a public key or of the shared secret on the wire. */
    static final int KEY_LENGTH = 96;
    /** The spec's private key length ("Xa and Xb are a variable size random integers... at least 128 bit"; 160). */
    static final int PRIVATE_KEY_BITS = 160;
    private static final DHParameterSpec GROUP = new DHParameterSpec(P, G, PRIVATE_KEY_BITS);

    private final KeyPair keys;

    private DhKeyPair(KeyPair keys) {
        this.keys = keys;
    }

    /** A new key pair whose private key is drawn from {@code random}. */
    static DhKeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("DH");
            generator.initialize(GROUP, random);
            return new DhKeyPair(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refuses MSE's Diffie-Hellman group", e);
        }
    }

    /** Our public key as it goes on the wire. */
    byte[] publicKey() {
        return toWire(((DHPublicKey) keys.getPublic()).getY());
    }

    /**
     * The shared secret S with the peer whose public key is {@code peerKey} ({@value #KEY_LENGTH} bytes), as it goes
     * into the spec's hashes.
     *
     * @throws MseException if the peer's key is not in 2 .. P - 2
     */
    byte[] sharedSecret(byte[] peerKey) throws MseException {
        BigInteger y = check(peerKey);
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("DH");
            agreement.init(keys.getPrivate());
            agreement.doPhase(KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, P, G)), true);
            return toWire(new BigInteger(1, agreement.generateSecret()));
        } catch (GeneralSecurityException e) {
            throw new MseException("MSE: the peer's Diffie-Hellman key is refused: " + e.getMessage());
        }
    }

    /**
     * The peer's public key as a number, if it is one to agree on.
     *
     * @throws MseException if it is not in 2 .. P - 2
     */
    static BigInteger check(byte[] peerKey) throws MseException {
        BigInteger y = new BigInteger(1, peerKey);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P_MINUS_ONE) >= 0) {
            throw new MseException("MSE: the peer's Diffie-Hellman key is not in 2 .. P-2");
        }
        return y;
    }

    private static byte[] toWire(BigInteger value) {
        byte[] magnitude = value.toByteArray();
        byte[] wire = new byte[KEY_LENGTH];
        int length = Math.min(magnitude.length, KEY_LENGTH);
        System.arraycopy(magnitude, magnitude.length - length, wire, KEY_LENGTH - length, length);
        return wire;
    }
}
