package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A finished MSE handshake: the torrent, the crypto method selected, the RC4 state of each direction, and the bytes
 * of the peer's stream read past the handshake, already decrypted (for a responder, the initiator's initial payload
 * and whatever followed it).
 *
 * @param decrypt  the keystream of what the peer sends, where the handshake left it
 * @param encrypt  the keystream of what we send, where the handshake left it
 * @param leftover the peer's bytes read beyond the handshake, decrypted; read them before the channel
 */
public record MseResult(InfoHash infoHash, CryptoMethod method, Rc4 decrypt, Rc4 encrypt, ByteBuffer leftover) {
    /** The connection's channel from now on: {@code inner}, decrypted and encrypted as the method says. */
    public MseChannel channel(ByteChannel inner) {
        return new MseChannel(inner, leftover, method == CryptoMethod.RC4 ? decrypt : null,
                method == CryptoMethod.RC4 ? encrypt : null);
    }
}
