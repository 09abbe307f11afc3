package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Message Stream Encryption handshake (the Vuze/Azureus specification, "MSE" or "PE", as libtorrent,
 * Transmission and qBittorrent speak it), blocking, over a channel in blocking mode: a socket channel, or any other
 * byte stream. The initiator is A, the responder B:
 * <pre>
 * 1 A-&gt;B: Ya, PadA
 * 2 B-&gt;A: Yb, PadB
 * 3 A-&gt;B: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
 *         ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
 * 4 B-&gt;A: ENCRYPT(VC, crypto_select, len(PadD), PadD), ENCRYPT2(payload stream)
 * 5 A-&gt;B: ENCRYPT2(payload stream)
 * </pre>
 * Y are 96-byte Diffie-Hellman keys ({@link DhKeyPair}), S their shared secret, SKEY the info hash, ENCRYPT RC4 with
 * the key of the side sending ({@link StreamKeys}), VC 8 zero bytes, crypto_provide and crypto_select 32-bit
 * big-endian fields of {@link CryptoMethod} bits, lengths 16-bit big-endian. ENCRYPT2 is RC4 or nothing, as
 * selected; the initial payload IA (our BitTorrent handshake) is always RC4.
 *
 * <p>Every length the peer controls is bounded as the spec bounds it, and so is what we read: PadA, PadB, PadC and
 * PadD are at most {@value #MAX_PAD} bytes; the responder finds HASH('req1', S) within the first
 * {@value #RESPONDER_SYNC_BOUND} bytes of the stream (Ya, PadA, the hash: 96 + 512 + 20) and the initiator finds
 * ENCRYPT(VC) within the first {@value #INITIATOR_SYNC_BOUND} (Yb, PadB, VC: 96 + 512 + 8), the bounds of the spec's
 * "optional early termination conditions" and libtorrent's; IA is at most {@value #MAX_INITIAL_PAYLOAD} bytes, a
 * BitTorrent handshake, as libtorrent allows (the spec's field could say 65,535). Each side's input is thus an array
 * of at most {@value #RESPONDER_CAPACITY} bytes.
 *
 * <p>No read has a timeout: the caller enforces the whole handshake's deadline by closing the channel from another
 * thread, which makes a blocked read or write throw ({@link java.nio.channels.AsynchronousCloseException}). What
 * the peer did wrong is an {@link MseException}; either way the caller closes the connection.
 */
public final class MseHandshake {
    /** The longest PadA, PadB, PadC or PadD. */
    public static final int MAX_PAD = 512;
    /** HASH('req1', S) must end within this many bytes of the initiator's stream: Ya, PadA and the hash. */
    public static final int RESPONDER_SYNC_BOUND = DhKeyPair.KEY_LENGTH + MAX_PAD + 20;
    /** ENCRYPT(VC) must end within this many bytes of the responder's stream: Yb, PadB and VC. */
    public static final int INITIATOR_SYNC_BOUND = DhKeyPair.KEY_LENGTH + MAX_PAD + 8;
    /** The longest initial payload: a BitTorrent handshake. */
    public static final int MAX_INITIAL_PAYLOAD = 68;
    static final int VC_LENGTH = 8;
    /** The most of the initiator's stream a responder reads: through the sync hash, then the req2 hash, VC,
     * crypto_provide, len(PadC), PadC, len(IA) and IA. */
    static final int RESPONDER_CAPACITY = RESPONDER_SYNC_BOUND + 20 + VC_LENGTH + 4 + 2 + MAX_PAD + 2
            + MAX_INITIAL_PAYLOAD;
    /** The most of the responder's stream an initiator reads: through VC, then crypto_select, len(PadD), PadD. */
    static final int INITIATOR_CAPACITY = INITIATOR_SYNC_BOUND + 4 + 2 + MAX_PAD;

    private final SecureRandom random;

    /** @param random for the private keys and the padding */
    public MseHandshake(SecureRandom random) {
        this.random = random;
    }

    /** The name by which an initiator asks for {@code infoHash}: what a session indexes its torrents by. */
    public static Req2Hash req2Hash(InfoHash infoHash) {
        return Req2Hash.of(infoHash);
    }

    /**
     * Runs the handshake as the side that opened the connection.
     *
     * @param offered        the crypto methods to offer, at least one
     * @param initialPayload our BitTorrent handshake (IA), sent encrypted with the handshake; at most
     *                       {@value #MAX_INITIAL_PAYLOAD} bytes, consumed
     * @throws MseException if the peer breaks the protocol or selects a method not offered
     * @throws IOException  if the channel fails, or is closed by the caller's deadline
     */
    public MseResult initiate(ByteChannel channel, InfoHash infoHash, Set<CryptoMethod> offered,
                              ByteBuffer initialPayload) throws IOException {
        return new Initiator(channel, random).run(infoHash, offered, initialPayload);
    }

    /**
     * Runs the handshake as the side that accepted the connection.
     *
     * @param alreadyRead the bytes of the peer's stream already read to tell MSE from a plaintext handshake (at most
     *                    {@value #RESPONDER_SYNC_BOUND}), consumed
     * @param torrents    the torrent whose {@link #req2Hash} is given, if we have it
     * @param policy      which crypto methods are accepted, and which is chosen when both are offered
     * @return the result, whose leftover bytes start with the peer's decrypted initial payload
     * @throws MseException if the peer breaks the protocol, asks for a torrent we do not have, or offers no
     *                      acceptable method
     * @throws IOException  if the channel fails, or is closed by the caller's deadline
     */
    public MseResult respond(ByteChannel channel, ByteBuffer alreadyRead,
                             Function<Req2Hash, Optional<InfoHash>> torrents, EncryptionPolicy policy)
            throws IOException {
        return new Responder(channel, random).run(alreadyRead, torrents, policy);
    }

    /** PadA or PadB: random bytes of a random length, 0 to {@value #MAX_PAD}. */
    static byte[] randomPad(SecureRandom random) {
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        return pad;
    }

    static void writeFully(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
