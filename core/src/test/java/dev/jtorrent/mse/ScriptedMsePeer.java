package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The far side of an MSE handshake for tests, written from the spec apart from {@link Initiator} and
 * {@link Responder}, with knobs to break each step: a key of our choosing, padding past the spec's 512 bytes, a
 * wrong VC, any crypto field, oversized PadC/PadD and IA lengths. It sends what it is told and reads what an honest
 * peer would; what it reads is not checked beyond finding its place.
 */
final class ScriptedMsePeer {
    /** What to send; each field's default is what an honest peer sends. */
    static final class Script {
        /** The public key to send instead of ours; the script then stops after sending it and its pad. */
        byte[] key;
        int pad = 17;
        long vc;
        int cryptoField = CryptoMethod.RC4.bit();
        int padCD = 5;
        int declaredPadCD = -1;
        int declaredIaLength = -1;
        byte[] ia = new byte[0];
        InfoHash skey;
        /** Stop after step 1 (Y and the pad), sending nothing more. */
        boolean stallAfterKey;
    }

    /** What the peer had when it finished. */
    record Outcome(int select, Rc4 decrypt, Rc4 encrypt, ByteChannel channel) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private ScriptedMsePeer() {
    }

    /** Plays side A; returns null if the script stops early. */
    static Outcome initiate(ByteChannel channel, Script script) throws IOException {
        DhKeyPair keys = DhKeyPair.generate(RANDOM);
        byte[] secret = sendKeyAndReadTheirs(channel, script, keys);
        if (secret == null) {
            return null;
        }
        byte[] skey = script.skey.bytes();
        Rc4 encrypt = StreamKeys.initiatorStream(secret, skey);
        Rc4 decrypt = StreamKeys.responderStream(secret, skey);
        ByteBuffer out = ByteBuffer.allocate(40 + 16 + script.padCD + script.ia.length);
        out.put(StreamKeys.hash(StreamKeys.REQ1, secret));
        out.put(StreamKeys.xor(StreamKeys.hash(StreamKeys.REQ2, skey), StreamKeys.hash(StreamKeys.REQ3, secret)));
        out.putLong(script.vc).putInt(script.cryptoField)
                .putShort((short) (script.declaredPadCD >= 0 ? script.declaredPadCD : script.padCD))
                .put(new byte[script.padCD])
                .putShort((short) (script.declaredIaLength >= 0 ? script.declaredIaLength : script.ia.length))
                .put(script.ia);
        encrypt.apply(out.array(), 40, out.position() - 40);
        MseHandshake.writeFully(channel, out.flip());
        // B's step 4: find ENCRYPT(VC) after Yb and PadB, then crypto_select, len(PadD), PadD
        byte[] vc = new byte[8];
        decrypt.apply(vc, 0, 8);
        byte[] window = new byte[0];
        while (window.length < 8 || !Arrays.equals(window, window.length - 8, window.length, vc, 0, 8)) {
            window = Arrays.copyOfRange(window, Math.max(0, window.length - 7), window.length + 1);
            window[window.length - 1] = readFully(channel, 1)[0];
        }
        byte[] head = readFully(channel, 6);
        decrypt.apply(head, 0, 6);
        ByteBuffer fields = ByteBuffer.wrap(head);
        int select = fields.getInt();
        byte[] pad = readFully(channel, Short.toUnsignedInt(fields.getShort()));
        decrypt.apply(pad, 0, pad.length);
        return new Outcome(select, decrypt, encrypt, channel);
    }

    /** Plays side B; returns null if the script stops early. */
    static Outcome respond(ByteChannel channel, Script script) throws IOException {
        byte[] theirKey = readFully(channel, DhKeyPair.KEY_LENGTH);
        DhKeyPair keys = DhKeyPair.generate(RANDOM);
        byte[] secret = sendKeyAndReadTheirs(channel, script, keys, theirKey);
        if (secret == null) {
            return null;
        }
        byte[] skey = script.skey.bytes();
        Rc4 decrypt = StreamKeys.initiatorStream(secret, skey);
        Rc4 encrypt = StreamKeys.responderStream(secret, skey);
        byte[] req1 = StreamKeys.hash(StreamKeys.REQ1, secret);
        byte[] window = new byte[0];
        while (window.length < 20 || !Arrays.equals(window, window.length - 20, window.length, req1, 0, 20)) {
            window = Arrays.copyOfRange(window, Math.max(0, window.length - 19), window.length + 1);
            window[window.length - 1] = readFully(channel, 1)[0];
        }
        readFully(channel, 20);
        byte[] head = readFully(channel, 14);
        decrypt.apply(head, 0, 14);
        byte[] padAndLength = readFully(channel, Short.toUnsignedInt(ByteBuffer.wrap(head, 12, 2).getShort()) + 2);
        decrypt.apply(padAndLength, 0, padAndLength.length);
        byte[] ia = readFully(channel, Short.toUnsignedInt(
                ByteBuffer.wrap(padAndLength, padAndLength.length - 2, 2).getShort()));
        decrypt.apply(ia, 0, ia.length);
        ByteBuffer out = ByteBuffer.allocate(14 + script.padCD);
        out.putLong(script.vc).putInt(script.cryptoField)
                .putShort((short) (script.declaredPadCD >= 0 ? script.declaredPadCD : script.padCD))
                .put(new byte[script.padCD]);
        encrypt.apply(out.array(), 0, out.position());
        MseHandshake.writeFully(channel, out.flip());
        return new Outcome(ByteBuffer.wrap(head, 8, 4).getInt(), decrypt, encrypt, channel);
    }

    private static byte[] sendKeyAndReadTheirs(ByteChannel channel, Script script, DhKeyPair keys)
            throws IOException {
        sendKey(channel, script, keys);
        if (script.key != null || script.stallAfterKey) {
            return null;
        }
        return keys.sharedSecret(readFully(channel, DhKeyPair.KEY_LENGTH));
    }

    private static byte[] sendKeyAndReadTheirs(ByteChannel channel, Script script, DhKeyPair keys, byte[] theirKey)
            throws IOException {
        sendKey(channel, script, keys);
        if (script.key != null || script.stallAfterKey) {
            return null;
        }
        return keys.sharedSecret(theirKey);
    }

    private static void sendKey(ByteChannel channel, Script script, DhKeyPair keys) throws IOException {
        byte[] pad = new byte[script.pad];
        RANDOM.nextBytes(pad);
        byte[] key = script.key != null ? script.key : keys.publicKey();
        MseHandshake.writeFully(channel, ByteBuffer.allocate(key.length + pad.length).put(key).put(pad).flip());
    }

    static byte[] readFully(ByteChannel channel, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("closed after " + buffer.position() + " of " + count + " bytes");
            }
        }
        return buffer.array();
    }
}
