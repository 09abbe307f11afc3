package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.security.SecureRandom;
import java.util.Set;

import static dev.jtorrent.mse.MseHandshake.INITIATOR_CAPACITY;
import static dev.jtorrent.mse.MseHandshake.INITIATOR_SYNC_BOUND;
import static dev.jtorrent.mse.MseHandshake.MAX_INITIAL_PAYLOAD;
import static dev.jtorrent.mse.MseHandshake.MAX_PAD;
import static dev.jtorrent.mse.MseHandshake.VC_LENGTH;

/** Side A of an MSE handshake: the side that dialled. See {@link MseHandshake} for the steps. */
final class Initiator {
    private final ByteChannel channel;
    private final SecureRandom random;

    Initiator(ByteChannel channel, SecureRandom random) {
        this.channel = channel;
        this.random = random;
    }

    MseResult run(InfoHash infoHash, Set<CryptoMethod> offered, ByteBuffer initialPayload) throws IOException {
        if (offered.isEmpty()) {
            throw new IllegalArgumentException("an MSE handshake must offer a crypto method");
        }
        if (initialPayload.remaining() > MAX_INITIAL_PAYLOAD) {
            throw new IllegalArgumentException("an initial payload of " + initialPayload.remaining() + " bytes");
        }
        // 1: Ya, PadA
        DhKeyPair keys = DhKeyPair.generate(random);
        byte[] padA = MseHandshake.randomPad(random);
        MseHandshake.writeFully(channel, ByteBuffer.allocate(DhKeyPair.KEY_LENGTH + padA.length)
                .put(keys.publicKey()).put(padA).flip());

        // 2: Yb (PadB is skipped by the sync below)
        HandshakeInput in = new HandshakeInput(channel, INITIATOR_CAPACITY, ByteBuffer.allocate(0));
        byte[] secret = keys.sharedSecret(in.take(DhKeyPair.KEY_LENGTH));
        byte[] skey = infoHash.bytes();
        Rc4 encrypt = StreamKeys.initiatorStream(secret, skey);
        Rc4 decrypt = StreamKeys.responderStream(secret, skey);

        // 3: the sync hash, the torrent's hidden name, then encrypted: VC, crypto_provide, PadC, IA
        int padC = random.nextInt(MAX_PAD + 1);
        int iaLength = initialPayload.remaining();
        ByteBuffer step3 = ByteBuffer.allocate(20 + 20 + VC_LENGTH + 4 + 2 + padC + 2 + iaLength);
        step3.put(StreamKeys.hash(StreamKeys.REQ1, secret));
        step3.put(StreamKeys.xor(StreamKeys.hash(StreamKeys.REQ2, skey), StreamKeys.hash(StreamKeys.REQ3, secret)));
        int encrypted = step3.position();
        step3.put(new byte[VC_LENGTH]).putInt(CryptoMethod.bits(offered)).putShort((short) padC).put(new byte[padC])
                .putShort((short) iaLength).put(initialPayload);
        encrypt.apply(step3.array(), encrypted, step3.position() - encrypted);
        MseHandshake.writeFully(channel, step3.flip());

        // 4: find ENCRYPT(VC) past PadB, then crypto_select, len(PadD), PadD
        byte[] vc = new byte[VC_LENGTH];
        decrypt.apply(vc, 0, vc.length);
        in.syncOn(vc, INITIATOR_SYNC_BOUND, "verification constant from the peer");
        byte[] head = in.take(4 + 2);
        decrypt.apply(head, 0, head.length);
        ByteBuffer fields = ByteBuffer.wrap(head);
        int select = fields.getInt();
        int padD = Short.toUnsignedInt(fields.getShort());
        CryptoMethod method = selected(select, offered);
        if (padD > MAX_PAD) {
            throw new MseException("MSE: the peer's PadD is " + padD + " bytes, more than " + MAX_PAD);
        }
        byte[] pad = in.take(padD);
        decrypt.apply(pad, 0, pad.length);

        ByteBuffer leftover = in.rest();
        if (method == CryptoMethod.RC4) {
            decrypt.apply(leftover.duplicate());
        }
        return new MseResult(infoHash, method, decrypt, encrypt, leftover);
    }

    private static CryptoMethod selected(int select, Set<CryptoMethod> offered) throws MseException {
        for (CryptoMethod method : offered) {
            if (select == method.bit()) {
                return method;
            }
        }
        throw new MseException("MSE: the peer selected crypto method 0x" + Integer.toHexString(select)
                + ", not one of those offered");
    }
}
