package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;

import static dev.jtorrent.mse.MseHandshake.MAX_INITIAL_PAYLOAD;
import static dev.jtorrent.mse.MseHandshake.MAX_PAD;
import static dev.jtorrent.mse.MseHandshake.RESPONDER_CAPACITY;
import static dev.jtorrent.mse.MseHandshake.RESPONDER_SYNC_BOUND;
import static dev.jtorrent.mse.MseHandshake.VC_LENGTH;

/** Side B of an MSE handshake: the side that accepted the connection. See {@link MseHandshake} for the steps. */
final class Responder {
    private final ByteChannel channel;
    private final SecureRandom random;

    Responder(ByteChannel channel, SecureRandom random) {
        this.channel = channel;
        this.random = random;
    }

    MseResult run(ByteBuffer alreadyRead, Function<Req2Hash, Optional<InfoHash>> torrents, EncryptionPolicy policy)
            throws IOException {
        if (!policy.acceptsMse()) {
            throw new MseException("MSE: refused, encryption is disabled");
        }
        if (alreadyRead.remaining() > RESPONDER_SYNC_BOUND) {
            throw new IllegalArgumentException(alreadyRead.remaining() + " bytes already read");
        }
        // 1: Ya; refused before we spend a key pair on it
        HandshakeInput in = new HandshakeInput(channel, RESPONDER_CAPACITY, alreadyRead);
        byte[] theirKey = in.take(DhKeyPair.KEY_LENGTH);
        DhKeyPair.check(theirKey);

        // 2: Yb, PadB
        DhKeyPair keys = DhKeyPair.generate(random);
        byte[] padB = MseHandshake.randomPad(random);
        MseHandshake.writeFully(channel, ByteBuffer.allocate(DhKeyPair.KEY_LENGTH + padB.length)
                .put(keys.publicKey()).put(padB).flip());
        byte[] secret = keys.sharedSecret(theirKey);

        // 3: past PadA to HASH('req1', S), then the torrent's hidden name
        in.syncOn(StreamKeys.hash(StreamKeys.REQ1, secret), RESPONDER_SYNC_BOUND, "sync hash from the peer");
        byte[] req2 = StreamKeys.xor(in.take(20), StreamKeys.hash(StreamKeys.REQ3, secret));
        InfoHash infoHash = torrents.apply(Req2Hash.ofBytes(req2))
                .orElseThrow(() -> new MseException("MSE: the peer asks for a torrent we do not have"));
        byte[] skey = infoHash.bytes();
        Rc4 decrypt = StreamKeys.initiatorStream(secret, skey);
        Rc4 encrypt = StreamKeys.responderStream(secret, skey);

        byte[] head = in.take(VC_LENGTH + 4 + 2);
        decrypt.apply(head, 0, head.length);
        ByteBuffer fields = ByteBuffer.wrap(head);
        if (fields.getLong() != 0) {
            throw new MseException("MSE: wrong verification constant from the peer");
        }
        int provide = fields.getInt();
        int padC = Short.toUnsignedInt(fields.getShort());
        if (padC > MAX_PAD) {
            throw new MseException("MSE: the peer's PadC is " + padC + " bytes, more than " + MAX_PAD);
        }
        byte[] padAndLength = in.take(padC + 2);
        decrypt.apply(padAndLength, 0, padAndLength.length);
        int iaLength = Short.toUnsignedInt(ByteBuffer.wrap(padAndLength, padC, 2).getShort());
        if (iaLength > MAX_INITIAL_PAYLOAD) {
            throw new MseException("MSE: the peer's initial payload is " + iaLength + " bytes, more than "
                    + MAX_INITIAL_PAYLOAD);
        }
        CryptoMethod method = policy.select(CryptoMethod.of(provide)).orElseThrow(() -> new MseException(
                "MSE: the peer offers crypto methods 0x" + Integer.toHexString(provide) + ", none acceptable"));
        byte[] initialPayload = in.take(iaLength);
        decrypt.apply(initialPayload, 0, initialPayload.length);

        // 4: VC, crypto_select, len(PadD), PadD
        int padD = random.nextInt(MAX_PAD + 1);
        ByteBuffer step4 = ByteBuffer.allocate(VC_LENGTH + 4 + 2 + padD)
                .put(new byte[VC_LENGTH]).putInt(method.bit()).putShort((short) padD).put(new byte[padD]);
        encrypt.apply(step4.array(), 0, step4.position());
        MseHandshake.writeFully(channel, step4.flip());

        ByteBuffer rest = in.rest();
        if (method == CryptoMethod.RC4) {
            decrypt.apply(rest.duplicate());
        }
        ByteBuffer leftover = ByteBuffer.allocate(initialPayload.length + rest.remaining())
                .put(initialPayload).put(rest).flip();
        return new MseResult(infoHash, method, decrypt, encrypt, leftover);
    }
}
