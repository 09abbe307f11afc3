package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The BEP 15 packets, all big-endian. Requests are written here; replies are read into the sealed {@link Reply}
 * family, and anything short or odd reads as empty so the caller ignores it.
 */
final class UdpPacket {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    /** BEP 15 fits about 74 info hashes in one scrape. */
    static final int MAX_SCRAPE = 74;

    private UdpPacket() {
    }

    /** A reply to one of our requests, already matched to its transaction id by {@link #read}. */
    sealed interface Reply {
    }

    /** {@code <action=0><transaction id><connection id:8>} */
    record Connected(long connectionId) implements Reply {
    }

    /** {@code <action=1><transaction id><interval><leechers><seeders>(<ip:4|16><port:2>)*} */
    record Announced(int interval, int leechers, int seeders, List<InetSocketAddress> peers) implements Reply {
    }

    /** {@code <action=2><transaction id>(<seeders><completed><leechers>)*} */
    record Scraped(List<int[]> counts) implements Reply {
    }

    /** {@code <action=3><transaction id><message>} */
    record Failed(String message) implements Reply {
    }

    /** {@code <protocol id:8><action=0><transaction id>} */
    static byte[] connect(int transactionId) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).array();
    }

    /**
     * {@code <connection id:8><action=1><transaction id><info hash:20><peer id:20><downloaded:8><left:8>
     * <uploaded:8><event><ip=0><key><num want><port:2>}
     */
    static byte[] announce(long connectionId, int transactionId, AnnounceRequest r) {
        return ByteBuffer.allocate(98).putLong(connectionId).putInt(ANNOUNCE).putInt(transactionId)
                .put(r.infoHash().bytes()).put(r.peerId()).putLong(r.downloaded()).putLong(r.left())
                .putLong(r.uploaded()).putInt(r.event().udpCode()).putInt(0).putInt(r.key())
                .putInt(r.numWant() < 0 ? -1 : r.numWant()).putShort((short) r.port()).array();
    }

    /** {@code <connection id:8><action=2><transaction id>(<info hash:20>)*} */
    static byte[] scrape(long connectionId, int transactionId, List<InfoHash> infoHashes) {
        ByteBuffer b = ByteBuffer.allocate(16 + 20 * infoHashes.size())
                .putLong(connectionId).putInt(SCRAPE).putInt(transactionId);
        infoHashes.forEach(h -> b.put(h.bytes()));
        return b.array();
    }

    /**
     * Reads a reply to the request with {@code expectedAction} and {@code transactionId}; empty for any packet that
     * is not one (another transaction, another action, truncated), which the caller drops.
     *
     * @param peerStride 6 when the tracker was reached over IPv4, 18 over IPv6 (BEP 15's IPv6 section)
     * @param hashes     how many info hashes a scrape asked about
     */
    static Optional<Reply> read(byte[] packet, int length, int expectedAction, int transactionId, int peerStride,
                                int hashes) {
        if (length < 8) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        int action = b.getInt();
        if (b.getInt() != transactionId) {
            return Optional.empty();
        }
        if (action == ERROR) {
            return Optional.of(new Failed(HttpTrackerReply.oneLine(
                    new String(packet, 8, length - 8, StandardCharsets.UTF_8))));
        }
        if (action != expectedAction) {
            return Optional.empty();
        }
        return switch (action) {
            case CONNECT -> length < 16 ? Optional.empty() : Optional.of(new Connected(b.getLong()));
            case ANNOUNCE -> {
                if (length < 20 || (length - 20) % peerStride != 0) {
                    yield Optional.empty();
                }
                int interval = b.getInt();
                int leechers = b.getInt();
                int seeders = b.getInt();
                yield Optional.of(new Announced(interval, leechers, seeders,
                        CompactPeers.decode(packet, 20, length - 20, peerStride, AnnounceResponse.MAX_PEERS)));
            }
            case SCRAPE -> {
                if (length < 8 + 12 * hashes) {
                    yield Optional.empty();
                }
                List<int[]> counts = new ArrayList<>(hashes);
                for (int i = 0; i < hashes; i++) {
                    counts.add(new int[] {b.getInt(), b.getInt(), b.getInt()});
                }
                yield Optional.of(new Scraped(counts));
            }
            default -> Optional.empty();
        };
    }
}
