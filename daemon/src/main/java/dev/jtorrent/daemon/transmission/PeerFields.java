package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.PeerStatus.Flag;
import tools.jackson.core.JsonGenerator;

import java.util.Set;

/** torrent-get's peer fields: {@code peers}, {@code peersFrom} and the counts of peers trading with us. */
final class PeerFields {
    /** A peer counts as sending or getting while its rate is at least this, in bytes a second. */
    static final double ACTIVE_RATE = 1;

    private PeerFields() {
    }

    static void peers(JsonGenerator json, TorrentView t) {
        Dialect d = t.context().dialect();
        json.writeStartArray();
        for (PeerStatus peer : t.peers()) {
            Set<Flag> flags = peer.flags();
            json.writeStartObject();
            json.writeName("address");
            json.writeString(peer.address().getAddress().getHostAddress());
            json.writeName(d.name("clientIsChoked"));
            json.writeBoolean(!flags.contains(Flag.DOWNLOADING_FROM));
            json.writeName(d.name("clientIsInterested"));
            json.writeBoolean(flags.contains(Flag.INTERESTED_IN));
            json.writeName(d.name("clientName"));
            json.writeString(peer.client());
            json.writeName(d.name("flagStr"));
            json.writeString(flagString(peer));
            json.writeName(d.name("isDownloadingFrom"));
            json.writeBoolean(flags.contains(Flag.DOWNLOADING_FROM) && peer.downloadRate() >= ACTIVE_RATE);
            json.writeName(d.name("isEncrypted"));
            json.writeBoolean(flags.contains(Flag.ENCRYPTED));
            json.writeName(d.name("isIncoming"));
            json.writeBoolean(!flags.contains(Flag.OUTGOING));
            json.writeName(d.name("isUploadingTo"));
            json.writeBoolean(flags.contains(Flag.UPLOADING_TO) && peer.uploadRate() >= ACTIVE_RATE);
            json.writeName(d.name("isUTP"));
            json.writeBoolean(flags.contains(Flag.UTP));
            json.writeName(d.name("peerIsChoked"));
            json.writeBoolean(!flags.contains(Flag.UPLOADING_TO));
            json.writeName(d.name("peerIsInterested"));
            json.writeBoolean(flags.contains(Flag.INTERESTED_IN_US));
            json.writeName("port");
            json.writeNumber(peer.address().getPort());
            json.writeName("progress");
            json.writeNumber(peer.progress());
            json.writeName(d.name("rateToClient"));
            json.writeNumber((long) peer.downloadRate());
            json.writeName(d.name("rateToPeer"));
            json.writeNumber((long) peer.uploadRate());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * Transmission's flag letters, those jtorrent can tell: D/d downloading from it (or would, were it not choking
     * us), U/u uploading to it, K it unchoked us but we are not interested, ? we unchoked it but it is not
     * interested, E encrypted, I incoming, T uTP.
     */
    static String flagString(PeerStatus peer) {
        Set<Flag> flags = peer.flags();
        StringBuilder out = new StringBuilder(8);
        if (flags.contains(Flag.DOWNLOADING_FROM) && flags.contains(Flag.INTERESTED_IN)) {
            out.append('D');
        } else if (flags.contains(Flag.INTERESTED_IN)) {
            out.append('d');
        }
        if (flags.contains(Flag.UPLOADING_TO) && flags.contains(Flag.INTERESTED_IN_US)) {
            out.append('U');
        } else if (flags.contains(Flag.INTERESTED_IN_US)) {
            out.append('u');
        }
        if (flags.contains(Flag.DOWNLOADING_FROM) && !flags.contains(Flag.INTERESTED_IN)) {
            out.append('K');
        }
        if (flags.contains(Flag.UPLOADING_TO) && !flags.contains(Flag.INTERESTED_IN_US)) {
            out.append('?');
        }
        if (flags.contains(Flag.ENCRYPTED)) {
            out.append('E');
        }
        if (flags.contains(Flag.UTP)) {
            out.append('T');
        }
        if (!flags.contains(Flag.OUTGOING)) {
            out.append('I');
        }
        return out.toString();
    }

    /**
     * Where the connected peers came from. The session tells only which side dialled: incoming ones are counted
     * as such, and the ones we dialled under the trackers, the source a session without DHT and PEX has.
     */
    static void peersFrom(JsonGenerator json, TorrentView t) {
        Dialect d = t.context().dialect();
        int incoming = 0;
        int outgoing = 0;
        if (t.status().peers() > 0) {
            for (PeerStatus peer : t.peers()) {
                if (peer.flags().contains(Flag.OUTGOING)) {
                    outgoing++;
                } else {
                    incoming++;
                }
            }
        }
        json.writeStartObject();
        for (String name : new String[]{"fromCache", "fromDht", "fromIncoming", "fromLpd", "fromLtep", "fromPex",
                "fromTracker"}) {
            json.writeName(d.name(name));
            json.writeNumber(name.equals("fromIncoming") ? incoming : name.equals("fromTracker") ? outgoing : 0);
        }
        json.writeEndObject();
    }

    static int sendingToUs(TorrentView t) {
        if (t.status().peers() == 0 || t.status().downloadRate() < ACTIVE_RATE) {
            return 0;
        }
        int count = 0;
        for (PeerStatus peer : t.peers()) {
            if (peer.downloadRate() >= ACTIVE_RATE) {
                count++;
            }
        }
        return count;
    }

    static int gettingFromUs(TorrentView t) {
        if (t.status().peers() == 0 || t.status().uploadRate() < ACTIVE_RATE) {
            return 0;
        }
        int count = 0;
        for (PeerStatus peer : t.peers()) {
            if (peer.uploadRate() >= ACTIVE_RATE) {
                count++;
            }
        }
        return count;
    }
}
