package dev.jtorrent.mse;

import java.util.EnumSet;
import java.util.Set;

/**
 * What carries the BitTorrent stream once an MSE handshake is done: the bits of {@code crypto_provide} and
 * {@code crypto_select}. With {@link #PLAINTEXT} only the handshake was obfuscated (libtorrent's
 * "plaintext_encrypted"); with {@link #RC4} everything after it is encrypted both ways.
 */
public enum CryptoMethod {
    PLAINTEXT(0x01),
    RC4(0x02);

    private final int bit;

    CryptoMethod(int bit) {
        this.bit = bit;
    }

    /** This method's bit in {@code crypto_provide} and {@code crypto_select}. */
    public int bit() {
        return bit;
    }

    /** The {@code crypto_provide} field offering {@code methods}. */
    static int bits(Set<CryptoMethod> methods) {
        int bits = 0;
        for (CryptoMethod method : methods) {
            bits |= method.bit;
        }
        return bits;
    }

    /** The methods whose bits are set in {@code field}; other bits (reserved by the spec) are ignored. */
    static Set<CryptoMethod> of(int field) {
        Set<CryptoMethod> methods = EnumSet.noneOf(CryptoMethod.class);
        for (CryptoMethod method : values()) {
            if ((field & method.bit) != 0) {
                methods.add(method);
            }
        }
        return methods;
    }
}
