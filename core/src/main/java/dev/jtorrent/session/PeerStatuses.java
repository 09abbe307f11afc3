package dev.jtorrent.session;

import dev.jtorrent.peer.Transport;
import dev.jtorrent.swarm.PeerSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** The swarm's view of its peers, as the API shows them ({@link TorrentHandle#peers()}). */
final class PeerStatuses {
    private PeerStatuses() {
    }

    static List<PeerStatus> of(List<PeerSnapshot> snapshots, int pieceCount) {
        List<PeerStatus> peers = new ArrayList<>(snapshots.size());
        for (PeerSnapshot peer : snapshots) {
            EnumSet<PeerStatus.Flag> flags = EnumSet.noneOf(PeerStatus.Flag.class);
            addIf(flags, peer.outgoing(), PeerStatus.Flag.OUTGOING);
            addIf(flags, !peer.amChoking(), PeerStatus.Flag.UPLOADING_TO);
            addIf(flags, peer.amInterested(), PeerStatus.Flag.INTERESTED_IN);
            addIf(flags, !peer.peerChoking(), PeerStatus.Flag.DOWNLOADING_FROM);
            addIf(flags, peer.peerInterested(), PeerStatus.Flag.INTERESTED_IN_US);
            addIf(flags, peer.snubbed(), PeerStatus.Flag.SNUBBED);
            addIf(flags, peer.encrypted(), PeerStatus.Flag.ENCRYPTED);
            addIf(flags, peer.transport() == Transport.UTP, PeerStatus.Flag.UTP);
            peers.add(new PeerStatus(peer.address(), peer.client().orElseGet(() -> clientOf(peer.peerId())), flags,
                    peer.downRate(), peer.upRate(), peer.downloaded(), peer.uploaded(),
                    pieceCount == 0 ? 0 : (double) peer.piecesHeld() / pieceCount));
        }
        return peers;
    }

    private static void addIf(EnumSet<PeerStatus.Flag> flags, boolean condition, PeerStatus.Flag flag) {
        if (condition) {
            flags.add(flag);
        }
    }

    /** The client prefix of an Azureus-style peer id ({@code -TR4050-...}), the convention of most clients. */
    static String clientOf(byte[] peerId) {
        boolean azureus = peerId.length >= 8 && peerId[0] == '-' && peerId[7] == '-';
        for (int i = 1; azureus && i < 7; i++) {
            azureus = Character.isLetterOrDigit(peerId[i]) && peerId[i] < 128;
        }
        return azureus ? new String(peerId, 0, 8, StandardCharsets.US_ASCII) : "unknown";
    }
}
