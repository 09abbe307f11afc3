package dev.jtorrent.swarm;

import dev.jtorrent.peer.Transport;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One connected peer as the swarm sees it at a moment: for showing to people ({@link Swarm#peers()}).
 *
 * @param address        where it is
 * @param peerId         its peer id's 20 bytes
 * @param client         the client name it gave in its extension handshake (BEP 10 {@code v}), if it did
 * @param outgoing       whether we dialled it
 * @param transport      what carries the connection
 * @param encrypted      whether the connection is encrypted (MSE's RC4)
 * @param amChoking      we do not upload to it
 * @param amInterested   it has pieces we want
 * @param peerChoking    it does not upload to us
 * @param peerInterested it wants pieces of ours
 * @param snubbed        it sent nothing we asked for, for too long
 * @param downRate       payload bytes a second from it, recently
 * @param upRate         payload bytes a second to it, recently
 * @param downloaded     payload bytes from it over this connection
 * @param uploaded       payload bytes to it over this connection
 * @param piecesHeld     pieces it has
 */
public record PeerSnapshot(InetSocketAddress address, byte[] peerId, Optional<String> client, boolean outgoing,
                           Transport transport, boolean encrypted, boolean amChoking, boolean amInterested, boolean peerChoking, boolean peerInterested,
                           boolean snubbed, double downRate, double upRate, long downloaded, long uploaded,
                           int piecesHeld) {
    public PeerSnapshot {
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }
}
