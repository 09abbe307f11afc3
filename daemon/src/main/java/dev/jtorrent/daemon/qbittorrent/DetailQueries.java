package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.PeerStatus.Flag;
import tools.jackson.core.JsonGenerator;

import java.net.Inet6Address;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What qBittorrent's own web UI reads of one torrent, and jtorrent's UI with it: {@code sync/torrentPeers} (its
 * peers, keyed {@code ip:port}, with qBittorrent's flags) and {@code torrents/pieceStates} (one number per piece: 0
 * not downloaded, 1 downloading, 2 downloaded).
 *
 * <p>{@code sync/torrentPeers} always answers {@code full_update}, with a fresh {@code rid}: the form qBittorrent
 * itself sends a client whose state it does not know, which every client merges correctly. A peer list is small
 * (the session's connections per torrent), asked for only while one torrent's peers are on screen, and keeping
 * each session's last lists to diff against would cost memory for little. {@code pieceStates} reports the pieces
 * verified on disk as 2 and the rest as 0: the session's API tells which pieces are verified, not which are being
 * fetched, and a 1 it cannot back would be a guess.
 */
final class DetailQueries {
    /** The states {@code torrents/pieceStates} reports. */
    static final int MISSING = 0;
    static final int DOWNLOADED = 2;

    private final Backend backend;
    private final AtomicInteger rid = new AtomicInteger();

    DetailQueries(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.get("sync/torrentPeers", this::peers)
                .get("torrents/pieceStates", this::pieceStates);
    }

    private DaemonTorrent torrent(Call call) throws ApiException {
        return backend.find(call.require("hash")).orElseThrow(ApiException::notFound);
    }

    private Reply pieceStates(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        byte[] bitfield = torrent.handle().verifiedPieces();
        int pieces = torrent.handle().torrent().map(t -> t.info().pieceCount()).orElse(0);
        return Reply.json(json -> {
            json.writeStartArray();
            for (int piece = 0; piece < pieces; piece++) {
                boolean have = piece / 8 < bitfield.length && (bitfield[piece / 8] & (0x80 >>> (piece % 8))) != 0;
                json.writeNumber(have ? DOWNLOADED : MISSING);
            }
            json.writeEndArray();
        });
    }

    private Reply peers(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        List<PeerStatus> peers = torrent.handle().peers();
        int next = rid.updateAndGet(id -> id % MainDataHistory.MAX_RID + 1);
        return Reply.json(json -> {
            json.writeStartObject();
            json.writeBooleanProperty("full_update", true);
            json.writeName("peers");
            json.writeStartObject();
            for (PeerStatus peer : peers) {
                writePeer(json, peer);
            }
            json.writeEndObject();
            json.writeNumberProperty("rid", next);
            json.writeBooleanProperty("show_flags", true);
            json.writeEndObject();
        });
    }

    private static void writePeer(JsonGenerator json, PeerStatus peer) {
        String ip = peer.address().getAddress().getHostAddress();
        int port = peer.address().getPort();
        String key = peer.address().getAddress() instanceof Inet6Address ? "[" + ip + "]:" + port : ip + ":" + port;
        json.writeName(key);
        json.writeStartObject();
        json.writeStringProperty("client", peer.client());
        json.writeStringProperty("connection", peer.flags().contains(Flag.UTP) ? "μTP" : "BT");
        json.writeStringProperty("country", "");
        json.writeStringProperty("country_code", "");
        json.writeNumberProperty("dl_speed", (long) peer.downloadRate());
        json.writeNumberProperty("downloaded", peer.downloaded());
        json.writeStringProperty("files", "");
        Flags flags = flags(peer.flags());
        json.writeStringProperty("flags", flags.letters());
        json.writeStringProperty("flags_desc", flags.descriptions());
        json.writeStringProperty("ip", ip);
        json.writeStringProperty("peer_id_client", peer.client());
        json.writeNumberProperty("port", port);
        json.writeName("progress");
        Json.writeDouble(json, peer.progress());
        json.writeNumberProperty("relevance", 0);
        json.writeNumberProperty("up_speed", (long) peer.uploadRate());
        json.writeNumberProperty("uploaded", peer.uploaded());
        json.writeEndObject();
    }

    /** A peer's flags as qBittorrent writes them: letters with spaces between, and a line describing each. */
    record Flags(String letters, String descriptions) {
    }

    /** qBittorrent's {@code PeerInfo::determineFlags}, for the flags the session knows. */
    static Flags flags(Set<Flag> flags) {
        StringJoiner letters = new StringJoiner(" ");
        StringJoiner descriptions = new StringJoiner("\n");
        boolean interested = flags.contains(Flag.INTERESTED_IN);
        boolean unchokedByPeer = flags.contains(Flag.DOWNLOADING_FROM);
        boolean peerInterested = flags.contains(Flag.INTERESTED_IN_US);
        boolean unchokedByUs = flags.contains(Flag.UPLOADING_TO);
        if (interested) {
            add(letters, descriptions, unchokedByPeer ? "D" : "d", unchokedByPeer
                    ? "Interested (local) and unchoked (peer)" : "Interested (local) and choked (peer)");
        }
        if (peerInterested) {
            add(letters, descriptions, unchokedByUs ? "U" : "u", unchokedByUs
                    ? "Interested (peer) and unchoked (local)" : "Interested (peer) and choked (local)");
        }
        if (!interested && unchokedByPeer) {
            add(letters, descriptions, "K", "Not interested (local) and unchoked (peer)");
        }
        if (!peerInterested && unchokedByUs) {
            add(letters, descriptions, "?", "Not interested (peer) and unchoked (local)");
        }
        if (flags.contains(Flag.SNUBBED)) {
            add(letters, descriptions, "S", "Peer snubbed");
        }
        if (!flags.contains(Flag.OUTGOING)) {
            add(letters, descriptions, "I", "Incoming connection");
        }
        if (flags.contains(Flag.ENCRYPTED)) {
            add(letters, descriptions, "E", "Encrypted traffic");
        }
        if (flags.contains(Flag.UTP)) {
            add(letters, descriptions, "P", "μTP");
        }
        return new Flags(letters.toString(), descriptions.toString());
    }

    private static void add(StringJoiner letters, StringJoiner descriptions, String letter, String description) {
        letters.add(letter);
        descriptions.add(letter + " = " + description);
    }
}
