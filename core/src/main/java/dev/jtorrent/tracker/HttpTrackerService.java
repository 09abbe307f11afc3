package dev.jtorrent.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The embedded tracker's HTTP side (BEP 3, 7, 23, 48): {@code /announce} answers with compact {@code peers} and
 * {@code peers6} (BEP 23, BEP 7), or with {@code compact=0} with BEP 3's list of dictionaries ({@code ip}, {@code
 * port}), peers of both families in it; {@code /scrape} with the counts. Anything wrong is answered with a bencoded
 * failure reason.
 *
 * <p>A peer is listed at the address its announce came from (or a loopback {@code ip} it claims from loopback, see
 * {@link PeerAnnounce#peerAddress}); BEP 7's {@code ipv6} parameter is not taken, for the reason {@code ip} is not:
 * a tracker that listed any address a client names could be made to send a swarm's connections to a stranger, and
 * a peer that has IPv6 reaches a dual-stack tracker over it (opentracker likewise lists only the source address).
 */
final class HttpTrackerService implements HttpHandler {
    private final SwarmRegistry registry;
    private final int interval;

    HttpTrackerService(SwarmRegistry registry, TrackerServerConfig config) {
        this.registry = registry;
        this.interval = (int) config.interval().toSeconds();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try {
                if (!exchange.getRequestMethod().equals("GET")) {
                    throw new MalformedRequestException("only GET is supported");
                }
                RawQuery query = RawQuery.parse(exchange.getRequestURI().getRawQuery());
                body = switch (exchange.getRequestURI().getRawPath()) {
                    case "/announce" -> announce(query, exchange.getRemoteAddress().getAddress());
                    case "/scrape" -> scrape(query);
                    default -> throw new MalformedRequestException("unknown path; use /announce or /scrape");
                };
            } catch (MalformedRequestException e) {
                body = BencodeEncoder.encode(BDictionary.builder().put("failure reason", e.getMessage()).build());
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] announce(RawQuery q, InetAddress remote) throws MalformedRequestException {
        InfoHash infoHash = InfoHash.of(q.required("info_hash", 20));
        q.required("peer_id", 20);
        int port = (int) q.number("port", 1, 65535, null);
        long left = q.number("left", 0, Long.MAX_VALUE, null);
        q.number("uploaded", 0, Long.MAX_VALUE, 0L);
        q.number("downloaded", 0, Long.MAX_VALUE, 0L);
        int numWant = (int) q.number("numwant", Integer.MIN_VALUE, Integer.MAX_VALUE, -1L);
        AnnounceEvent event;
        try {
            event = AnnounceEvent.fromHttpName(q.text("event").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("unknown event");
        }
        boolean compact = q.number("compact", 0, 1, 1L) == 1;
        InetAddress claimed = q.text("ip").flatMap(IpLiteral::parse).orElse(null);
        InetSocketAddress peer = new InetSocketAddress(PeerAnnounce.peerAddress(remote, claimed), port);
        SwarmRegistry.View view = registry.announce(new PeerAnnounce(infoHash, peer, left, event, numWant),
                p -> true);
        BDictionary.Builder reply = BDictionary.builder()
                .put("interval", interval)
                .put("complete", view.seeders())
                .put("incomplete", view.leechers());
        if (compact) {
            reply.put("peers", BString.of(CompactPeers.encode(view.peers(), CompactPeers.IPV4_STRIDE)))
                    .put("peers6", BString.of(CompactPeers.encode(view.peers(), CompactPeers.IPV6_STRIDE)));
        } else {
            reply.put("peers", dictionaries(view.peers()));
        }
        return BencodeEncoder.encode(reply.build());
    }

    /** BEP 3's original model: a dictionary per peer, its address as text, IPv6 ones too. */
    private static BList dictionaries(List<InetSocketAddress> peers) {
        return BList.of(peers.stream().map(peer -> BDictionary.builder()
                .put("ip", peer.getAddress().getHostAddress())
                .put("port", peer.getPort())
                .build()).toList());
    }

    private byte[] scrape(RawQuery q) throws MalformedRequestException {
        List<byte[]> hashes = q.all("info_hash");
        if (hashes.isEmpty()) {
            throw new MalformedRequestException("scrape needs at least one info_hash");
        }
        BDictionary.Builder files = BDictionary.builder();
        for (byte[] h : hashes) {
            if (h.length != 20) {
                throw new MalformedRequestException("info_hash must be 20 bytes, not " + h.length);
            }
            registry.scrape(InfoHash.of(h)).ifPresent(r -> files.put(BString.of(h), BDictionary.builder()
                    .put("complete", r.seeders())
                    .put("downloaded", r.completed())
                    .put("incomplete", r.leechers())
                    .build()));
        }
        return BencodeEncoder.encode(BDictionary.builder().put("files", files.build()).build());
    }
}
