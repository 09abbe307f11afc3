package dev.jtorrent.peer;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.mse.EncryptionPolicy;
import dev.jtorrent.mse.MseHandshake;
import dev.jtorrent.mse.MseResult;
import dev.jtorrent.mse.Req2Hash;
import dev.jtorrent.wire.Handshake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the {@link Handshaker} needs of Message Stream Encryption: the session's {@link EncryptionPolicy}, and how an
 * incoming MSE handshake finds its torrent, by the hash of its info hash that the initiator sends ({@link
 * Req2Hash}): a map the session keeps of all its torrents, so the lookup costs the same however many there are.
 */
public final class PeerEncryption {
    private static final PeerEncryption PLAINTEXT =
            new PeerEncryption(EncryptionPolicy.DISABLE, req2 -> Optional.empty());

    private final EncryptionPolicy policy;
    private final Function<Req2Hash, Optional<InfoHash>> torrents;

    /**
     * The handshake, made at the first encrypted connection and shared: its {@link SecureRandom} starts the JDK's
     * security providers, which a session that never encrypts (a download that finds its data complete) should not
     * pay for at its start (about 0.03 CPU s).
     */
    private static final class Mse {
        static final MseHandshake HANDSHAKE = new MseHandshake(new SecureRandom());
    }

    /** @param torrents the session's torrent whose {@link MseHandshake#req2Hash} is given, if it has it */
    public PeerEncryption(EncryptionPolicy policy, Function<Req2Hash, Optional<InfoHash>> torrents) {
        this.policy = policy;
        this.torrents = torrents;
    }

    /** Plaintext only: no MSE either way. */
    public static PeerEncryption disabled() {
        return PLAINTEXT;
    }

    public EncryptionPolicy policy() {
        return policy;
    }

    /** Runs MSE on a connection we opened, with {@code ours} as its initial payload. */
    PeerChannel initiate(PeerChannel channel, InfoHash infoHash, Handshake ours) throws IOException {
        MseResult result = Mse.HANDSHAKE.initiate(channel, infoHash, policy.offered(), ByteBuffer.wrap(ours.encode()));
        return new EncryptedChannel(channel, result.channel(channel));
    }

    /** Answers MSE on a connection the peer opened, whose first bytes, already read, are {@code first}. */
    Incoming respond(PeerChannel channel, ByteBuffer first) throws IOException {
        MseResult result = Mse.HANDSHAKE.respond(channel, first, torrents, policy);
        return new Incoming(result.infoHash(), new EncryptedChannel(channel, result.channel(channel)));
    }

    /** An incoming connection after its MSE handshake: the torrent it named, and the channel to go on with. */
    record Incoming(InfoHash infoHash, PeerChannel channel) {
    }
}
