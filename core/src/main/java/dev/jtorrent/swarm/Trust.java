package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerConnection;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Trust and bans: who sent the pieces that passed and those that failed. The sole sender of a failed piece is banned
 * at once; when several peers sent blocks of it, each loses {@link #PENALTY} points of trust (and gains one for each
 * good piece, up to {@link #MAX}), and is banned at {@link #BAN_AT}, as in libtorrent. {@link SmartBan} then finds
 * the liar among them once the piece passes. A ban is on the IP. Swarm thread only.
 */
final class Trust {
    static final int MAX = 8;
    static final int BAN_AT = -7;
    /** Trust a peer loses for each failed piece it sent blocks of. */
    static final int PENALTY = 2;

    private final SmartBan smartBan = new SmartBan();
    private final KnownPeers known;
    private final Peers peers;

    Trust(KnownPeers known, Peers peers) {
        this.known = known;
        this.peers = peers;
    }

    /** Whether the blocks of {@code piece} are to be hashed when it passes: it failed before, with several senders. */
    boolean wantsDigests(int piece) {
        return smartBan.remembers(piece);
    }

    /**
     * A piece passed: each sender gains a point; and if it had failed before, smart ban's verdict bans whoever sent
     * a block that differs from the good one, and gives back the trust of those whose blocks all matched.
     *
     * @param digests its blocks' digests if {@link #wantsDigests} asked for them, else null
     */
    void piecePassed(int piece, Set<PeerConnection> senders, byte[][] digests) {
        for (PeerConnection sender : senders) {
            Peer peer = peers.get(sender);
            if (peer != null) {
                peer.trust = Math.min(MAX, peer.trust + 1);
            }
        }
        if (digests != null) {
            judge(piece, smartBan.piecePassed(piece, digests));
        }
    }

    /** A piece failed its hash check: its senders lose trust, and a sole sender, or one out of trust, is banned. */
    void pieceFailed(int piece, Set<PeerConnection> senders, List<SmartBan.SentBlock> blocks) {
        for (PeerConnection sender : senders) {
            Peer peer = peers.get(sender);
            // A sole sender is certainly the liar; several senders share the suspicion (libtorrent's rule).
            int trust = peer == null ? 0 : peer.trust - PENALTY;
            if (peer != null) {
                peer.trust = trust;
            }
            if (senders.size() == 1 || trust <= BAN_AT) {
                ban(sender.address(), "sent data that failed the hash check of piece " + piece);
            }
        }
        for (InetSocketAddress liar : smartBan.pieceFailed(piece, blocks)) {
            ban(liar, "sent two different versions of a block of piece " + piece);
        }
    }

    private void judge(int piece, SmartBan.Verdict verdict) {
        for (InetSocketAddress liar : verdict.liars()) {
            ban(liar, "sent a bad block of piece " + piece + " (found when the piece passed)");
        }
        for (Peer peer : peers.all()) {
            Integer failures = verdict.cleared().get(peer.connection.address());
            if (failures != null) {
                peer.trust = Math.min(MAX, peer.trust + failures * PENALTY);
            }
        }
    }

    /** Bans the IP of {@code address} (see {@link KnownPeers}) and closes every connection from it. */
    private void ban(InetSocketAddress address, String reason) {
        known.ban(address);
        peers.closeFrom(address.getAddress(), CloseReason.of(CloseReason.Kind.BANNED, reason));
    }
}
