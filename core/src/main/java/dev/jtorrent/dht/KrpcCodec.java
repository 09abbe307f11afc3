package dev.jtorrent.dht;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BInteger;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes KRPC messages, strictly: a datagram is decoded whole or refused with a {@link KrpcException}
 * saying why, and nothing it claims is allocated before it is checked. Every field has an exact size or a bound:
 * ids, info hashes and targets are 20 bytes, transaction ids at most {@value #MAX_TRANSACTION_ID} bytes, tokens at
 * most {@value #MAX_TOKEN} bytes, ports 1-65535, {@code nodes} a multiple of 26 bytes and {@code nodes6} of 38 with at
 * most {@value #MAX_NODES} nodes each, at most {@value #MAX_VALUES} {@code values} of 6 or 18 bytes. The bencoding
 * itself is bounded as libtorrent bounds it for the DHT (a shallow depth, a few hundred values).
 *
 * <p>Keys the codec does not know are ignored, as BEP 5 asks, and so is a dictionary's key order (some clients do not
 * sort). Encoding writes the client version {@code v} too, which decoding does not report.
 */
final class KrpcCodec {
    /** The largest datagram read; the shell drops larger ones before they get here. */
    static final int MAX_PACKET = 2048;
    /** Transaction ids are opaque; libtorrent sends 2 bytes, others up to 8. */
    static final int MAX_TRANSACTION_ID = 16;
    /** Tokens are opaque too; ours are 8 bytes, libtorrent's 4. */
    static final int MAX_TOKEN = 64;
    /** Nodes in one {@code nodes} or {@code nodes6} string; an honest node sends 8. */
    static final int MAX_NODES = 64;
    /** Peers in one {@code values} list; libtorrent sends up to 100 in a reply it knows will fit. */
    static final int MAX_VALUES = 100;
    /** Entries of a {@code want} list; BEP 32 defines two words. */
    static final int MAX_WANT = 8;
    /** The longest method name or error message kept; longer error messages are cut, longer methods unknown. */
    static final int MAX_TEXT = 200;

    /** Depth 4 reaches a {@code values} or {@code want} list; 512 values are more than a full reply holds. */
    static final BencodeLimits LIMITS = new BencodeLimits(4, 512, MAX_PACKET);
    private static final BencodeDecoder DECODER = BencodeDecoder.lenient(LIMITS);

    /** Our client version for {@code v}: "JT" and version 0.1. */
    private static final BString VERSION = BString.of(new byte[] {'J', 'T', 0, 1});

    private KrpcCodec() {
    }

    static byte[] encode(Krpc message) {
        return encode(message, Optional.empty());
    }

    /**
     * Encodes a message; {@code requester}, for a response or an error, is written as {@code ip}: the address the
     * query came from, so that the querier learns its external address (BEP 42).
     */
    static byte[] encode(Krpc message, Optional<InetSocketAddress> requester) {
        BDictionary.Builder top = BDictionary.builder().put("t", message.transactionId()).put("v", VERSION);
        switch (message) {
            case Krpc.Query q -> {
                BDictionary.Builder a = BDictionary.builder().put("id", BString.of(q.sender().bytes()));
                switch (q.method()) {
                    case Krpc.Ping p -> {
                    }
                    case Krpc.FindNode f -> a.put("target", BString.of(f.target().bytes()));
                    case Krpc.GetPeers g -> a.put("info_hash", BString.of(g.infoHash().bytes()));
                    case Krpc.AnnouncePeer ap -> {
                        a.put("info_hash", BString.of(ap.infoHash().bytes()));
                        a.put("port", ap.port());
                        a.put("token", ap.token());
                        if (ap.impliedPort()) {
                            a.put("implied_port", 1);
                        }
                    }
                    case Krpc.Unknown u -> {
                    }
                }
                if (!q.want().isEmpty()) {
                    List<BValue> words = new ArrayList<>();
                    for (Family f : Family.values()) {
                        if (q.want().contains(f)) {
                            words.add(BString.of(f.want));
                        }
                    }
                    a.put("want", BList.of(words));
                }
                top.put("y", "q").put("q", q.method().name()).put("a", a.build());
                if (q.readOnly()) {
                    top.put("ro", 1);
                }
            }
            case Krpc.Response r -> {
                BDictionary.Builder body = BDictionary.builder().put("id", BString.of(r.sender().bytes()));
                if (!r.nodes().isEmpty()) {
                    body.put("nodes", BString.of(Compact.nodes(r.nodes(), Family.IPV4)));
                }
                if (!r.nodes6().isEmpty()) {
                    body.put("nodes6", BString.of(Compact.nodes(r.nodes6(), Family.IPV6)));
                }
                if (!r.values().isEmpty()) {
                    body.put("values", BList.of(r.values().stream().map(p -> BString.of(Compact.peer(p))).toList()));
                }
                r.token().ifPresent(t -> body.put("token", t));
                top.put("y", "r").put("r", body.build());
                r.requester().or(() -> requester).ifPresent(ip -> top.put("ip", BString.of(Compact.peer(ip))));
            }
            case Krpc.Error e -> {
                top.put("y", "e").put("e", BList.of(BInteger.of(e.code()), BString.of(e.message())));
                requester.ifPresent(ip -> top.put("ip", BString.of(Compact.peer(ip))));
            }
        }
        return BencodeEncoder.encode(top.build());
    }

    /** Decodes one datagram. */
    static Krpc decode(byte[] packet) throws KrpcException {
        BValue value;
        try {
            value = DECODER.decode(packet);
        } catch (BencodeException e) {
            throw new KrpcException("not bencoded: " + e.getMessage());
        }
        if (!(value instanceof BDictionary top)) {
            throw new KrpcException("a message is a dictionary, not a " + value.typeName());
        }
        BString tid = string(top, "t", "the message");
        if (tid.length() < 1 || tid.length() > MAX_TRANSACTION_ID) {
            throw new KrpcException("a transaction id of " + tid.length() + " bytes (1-" + MAX_TRANSACTION_ID + ")");
        }
        String type = string(top, "y", "the message").asText();
        return switch (type) {
            case "q" -> {
                try {
                    yield query(top, tid);
                } catch (KrpcException e) {
                    throw new KrpcException(e.getMessage(), tid);
                }
            }
            case "r" -> response(top, tid);
            case "e" -> error(top, tid);
            default -> throw new KrpcException("unknown message type y=" + BString.of(type));
        };
    }

    private static Krpc.Query query(BDictionary top, BString tid) throws KrpcException {
        BString name = string(top, "q", "a query");
        BDictionary a = dictionary(top, "a", "a query");
        NodeId sender = id(a, "id", "a query");
        String method = name.length() <= MAX_TEXT ? name.asText() : "(a method name of " + name.length() + " bytes)";
        Krpc.Method m = switch (method) {
            case "ping" -> new Krpc.Ping();
            case "find_node" -> new Krpc.FindNode(id(a, "target", "find_node"));
            case "get_peers" -> new Krpc.GetPeers(id(a, "info_hash", "get_peers"));
            case "announce_peer" -> announce(a);
            default -> new Krpc.Unknown(method);
        };
        return new Krpc.Query(tid, sender, m, want(a), flag(top, "ro"));
    }

    private static Krpc.AnnouncePeer announce(BDictionary a) throws KrpcException {
        NodeId infoHash = id(a, "info_hash", "announce_peer");
        boolean implied = flag(a, "implied_port");
        long port = integer(a, "port", "announce_peer");
        if (implied ? port < 0 || port > 65535 : port < 1 || port > 65535) {
            throw new KrpcException("announce_peer port " + port + " is not 1-65535");
        }
        BString token = string(a, "token", "announce_peer");
        if (token.length() < 1 || token.length() > MAX_TOKEN) {
            throw new KrpcException("a token of " + token.length() + " bytes (1-" + MAX_TOKEN + ")");
        }
        return new Krpc.AnnouncePeer(infoHash, (int) port, implied, token);
    }

    private static Set<Family> want(BDictionary a) throws KrpcException {
        Optional<BValue> value = a.get("want");
        if (value.isEmpty()) {
            return Set.of();
        }
        if (!(value.get() instanceof BList list) || list.size() > MAX_WANT) {
            throw new KrpcException("want is not a list of at most " + MAX_WANT + " strings");
        }
        Set<Family> families = EnumSet.noneOf(Family.class);
        for (BValue word : list.values()) {
            if (!(word instanceof BString s)) {
                throw new KrpcException("want holds a " + word.typeName());
            }
            for (Family f : Family.values()) {
                if (s.equals(BString.of(f.want))) {
                    families.add(f);
                }
            }
        }
        return families;
    }

    private static Krpc.Response response(BDictionary top, BString tid) throws KrpcException {
        BDictionary r = dictionary(top, "r", "a response");
        NodeId sender = id(r, "id", "a response");
        Optional<InetSocketAddress> requester = Optional.empty();
        if (top.containsKey("ip")) {
            BString ip = string(top, "ip", "a response");
            if (ip.length() != Family.IPV4.peerLength && ip.length() != Family.IPV6.peerLength) {
                throw new KrpcException("ip of " + ip.length() + " bytes (6 or 18)");
            }
            requester = Optional.of(Compact.readPeer(ip.bytes(), 0, ip.length()));
        }
        List<Contact> nodes = nodes(r, Family.IPV4);
        List<Contact> nodes6 = nodes(r, Family.IPV6);
        List<InetSocketAddress> values = new ArrayList<>();
        if (r.containsKey("values")) {
            if (!(r.get("values").orElseThrow() instanceof BList list)) {
                throw new KrpcException("values is not a list");
            }
            if (list.size() > MAX_VALUES) {
                throw new KrpcException(list.size() + " values (at most " + MAX_VALUES + ")");
            }
            for (BValue v : list.values()) {
                if (!(v instanceof BString peer)
                        || peer.length() != Family.IPV4.peerLength && peer.length() != Family.IPV6.peerLength) {
                    throw new KrpcException("a value that is not a compact peer of 6 or 18 bytes: " + v);
                }
                values.add(Compact.readPeer(peer.bytes(), 0, peer.length()));
            }
        }
        Optional<BString> token = Optional.empty();
        if (r.containsKey("token")) {
            BString t = string(r, "token", "a response");
            if (t.length() < 1 || t.length() > MAX_TOKEN) {
                throw new KrpcException("a token of " + t.length() + " bytes (1-" + MAX_TOKEN + ")");
            }
            token = Optional.of(t);
        }
        return new Krpc.Response(tid, sender, requester, nodes, nodes6, values, token);
    }

    private static List<Contact> nodes(BDictionary r, Family family) throws KrpcException {
        String key = family.nodesKey();
        if (!r.containsKey(key)) {
            return List.of();
        }
        BString nodes = string(r, key, "a response");
        if (nodes.length() % family.nodeLength != 0) {
            throw new KrpcException(key + " of " + nodes.length() + " bytes, not a multiple of " + family.nodeLength);
        }
        if (nodes.length() / family.nodeLength > MAX_NODES) {
            throw new KrpcException(nodes.length() / family.nodeLength + " " + key + " (at most " + MAX_NODES + ")");
        }
        return Compact.readNodes(nodes.bytes(), family);
    }

    private static Krpc.Error error(BDictionary top, BString tid) throws KrpcException {
        if (!(top.get("e").orElse(null) instanceof BList e) || e.size() != 2
                || !(e.get(0) instanceof BInteger code) || !(e.get(1) instanceof BString text)) {
            throw new KrpcException("an error's e is not a list of a code and a message");
        }
        if (code.value() < 0 || code.value() > 999) {
            throw new KrpcException("error code " + code.value() + " is not 0-999");
        }
        String message = text.asText();
        return new Krpc.Error(tid, (int) code.value(),
                message.length() <= MAX_TEXT ? message : message.substring(0, MAX_TEXT));
    }

    private static BString string(BDictionary d, String key, String where) throws KrpcException {
        BValue v = d.get(key).orElseThrow(() -> new KrpcException(where + " lacks " + key));
        if (!(v instanceof BString s)) {
            throw new KrpcException(key + " in " + where + " is a " + v.typeName() + ", not a string");
        }
        return s;
    }

    private static BDictionary dictionary(BDictionary d, String key, String where) throws KrpcException {
        BValue v = d.get(key).orElseThrow(() -> new KrpcException(where + " lacks " + key));
        if (!(v instanceof BDictionary dict)) {
            throw new KrpcException(key + " in " + where + " is a " + v.typeName() + ", not a dictionary");
        }
        return dict;
    }

    private static long integer(BDictionary d, String key, String where) throws KrpcException {
        BValue v = d.get(key).orElseThrow(() -> new KrpcException(where + " lacks " + key));
        if (!(v instanceof BInteger i)) {
            throw new KrpcException(key + " in " + where + " is a " + v.typeName() + ", not an integer");
        }
        return i.value();
    }

    private static NodeId id(BDictionary d, String key, String where) throws KrpcException {
        BString s = string(d, key, where);
        if (s.length() != NodeId.LENGTH) {
            throw new KrpcException(key + " in " + where + " has " + s.length() + " bytes, not " + NodeId.LENGTH);
        }
        return NodeId.of(s.bytes());
    }

    /** An optional 0/1 integer flag such as {@code implied_port} or {@code ro}; absent is 0. */
    private static boolean flag(BDictionary d, String key) throws KrpcException {
        if (!d.containsKey(key)) {
            return false;
        }
        long v = integer(d, key, "the message");
        if (v != 0 && v != 1) {
            throw new KrpcException(key + " is " + v + ", not 0 or 1");
        }
        return v == 1;
    }
}
