package dev.jtorrent.mse;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When connections use Message Stream Encryption: which handshake an outgoing connection tries first and which it
 * falls back to, which crypto methods it offers, and what an incoming connection may use.
 *
 * <p>The four are Transmission's three modes and libtorrent's three policies, lined up:
 * <table>
 *   <caption>policies</caption>
 *   <tr><th>here</th><th>Transmission</th><th>libtorrent / qBittorrent</th></tr>
 *   <tr><td>{@link #PREFER}</td><td>preferred (its default)</td><td>{@code pe_enabled} (its default)</td></tr>
 *   <tr><td>{@link #REQUIRE}</td><td>required</td><td>{@code pe_forced} with {@code pe_rc4}</td></tr>
 *   <tr><td>{@link #ALLOW}</td><td>tolerated ("clear preferred")</td><td>-</td></tr>
 *   <tr><td>{@link #DISABLE}</td><td>-</td><td>{@code pe_disabled}</td></tr>
 * </table>
 * Differences: libtorrent's responder, offered both methods, picks plaintext unless {@code prefer_rc4} is set, and
 * its {@code pe_forced} still accepts MSE with a plaintext payload when {@code allowed_enc_level} allows it; we
 * follow Transmission, whose responder picks by the policy's order (RC4 first when encryption is preferred, plaintext
 * first when it is only tolerated) and whose "required" means RC4. Transmission has no mode refusing MSE: its
 * tolerated mode still answers an MSE handshake, which is our {@link #ALLOW}; {@link #DISABLE} is libtorrent's
 * {@code pe_disabled}, which closes incoming MSE.
 */
public enum EncryptionPolicy {
    /** Dial MSE offering RC4 and plaintext, redial in plaintext if it fails; answer both, choosing RC4. */
    PREFER(List.of(Handshake.MSE, Handshake.PLAINTEXT), List.of(CryptoMethod.RC4, CryptoMethod.PLAINTEXT), true),
    /** RC4 only, both ways: no plaintext handshake is dialled or accepted, nor MSE with a plaintext payload. */
    REQUIRE(List.of(Handshake.MSE), List.of(CryptoMethod.RC4), false),
    /** Dial plaintext first and MSE if it fails; answer both, choosing plaintext when offered. */
    ALLOW(List.of(Handshake.PLAINTEXT, Handshake.MSE), List.of(CryptoMethod.PLAINTEXT, CryptoMethod.RC4), true),
    /** Plaintext only: incoming MSE is closed. */
    DISABLE(List.of(Handshake.PLAINTEXT), List.of(), true);

    /** The two handshakes a connection can start with. */
    public enum Handshake { MSE, PLAINTEXT }

    private final List<Handshake> dialOrder;
    private final List<CryptoMethod> preference;
    private final boolean plaintextHandshakes;

    EncryptionPolicy(List<Handshake> dialOrder, List<CryptoMethod> preference, boolean plaintextHandshakes) {
        this.dialOrder = dialOrder;
        this.preference = preference;
        this.plaintextHandshakes = plaintextHandshakes;
    }

    /** The handshakes to try on an outgoing connection, in order; the next one on a new connection if one fails. */
    public List<Handshake> dialOrder() {
        return dialOrder;
    }

    /** Whether an incoming plaintext BitTorrent handshake is accepted. */
    public boolean acceptsPlaintextHandshake() {
        return plaintextHandshakes;
    }

    /** Whether an incoming MSE handshake is answered. */
    public boolean acceptsMse() {
        return !preference.isEmpty();
    }

    /** The crypto methods an outgoing MSE handshake offers ({@code crypto_provide}). */
    public Set<CryptoMethod> offered() {
        return preference.isEmpty() ? EnumSet.noneOf(CryptoMethod.class) : EnumSet.copyOf(preference);
    }

    /** The method an incoming MSE handshake that offers {@code provided} gets, if any is acceptable. */
    public Optional<CryptoMethod> select(Set<CryptoMethod> provided) {
        return preference.stream().filter(provided::contains).findFirst();
    }
}
