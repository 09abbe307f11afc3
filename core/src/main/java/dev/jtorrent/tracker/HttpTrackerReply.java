package dev.jtorrent.tracker;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BInteger;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;
import dev.jtorrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads HTTP tracker reply bodies (BEP 3, 7, 23, 48) strictly, as hostile input. */
final class HttpTrackerReply {
    /** Trackers that leave out the interval get libtorrent's default. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(30);
    private static final BencodeDecoder DECODER = BencodeDecoder.strict(BencodeLimits.MESSAGE);
    private static final int MAX_TEXT = 200;
    private static final int MAX_PEERS = AnnounceResponse.MAX_PEERS;

    private HttpTrackerReply() {
    }

    static AnnounceResponse announce(byte[] body) throws TrackerException {
        BDictionary d = dictionary(body);
        Duration interval = seconds(d, "interval").orElse(DEFAULT_INTERVAL);
        Set<InetSocketAddress> peers = new LinkedHashSet<>();
        switch (d.get("peers").orElse(null)) {
            case null -> { }
            case BString compact -> peers.addAll(compact(compact, CompactPeers.IPV4_STRIDE, "peers", MAX_PEERS));
            case BList list -> peers.addAll(dictionaryPeers(list, MAX_PEERS));
            case BValue other -> throw bad("peers is a " + other.typeName());
        }
        if (d.get("peers6").orElse(null) instanceof BString compact6) {
            peers.addAll(compact(compact6, CompactPeers.IPV6_STRIDE, "peers6", MAX_PEERS - peers.size()));
        }
        return new AnnounceResponse(interval, seconds(d, "min interval"), new ArrayList<>(peers),
                count(d, "complete"), count(d, "incomplete"), text(d, "warning message"), text(d, "tracker id"));
    }

    static List<ScrapeResult> scrape(byte[] body) throws TrackerException {
        BDictionary d = dictionary(body);
        if (!(d.get("files").orElse(null) instanceof BDictionary files)) {
            throw bad("the scrape reply has no files dictionary");
        }
        List<ScrapeResult> results = new ArrayList<>();
        for (Map.Entry<BString, BValue> e : files.entries().entrySet()) {
            if (e.getKey().length() == InfoHash.LENGTH && e.getValue() instanceof BDictionary stats) {
                results.add(new ScrapeResult(InfoHash.of(e.getKey().bytes()), count(stats, "complete").orElse(0),
                        count(stats, "downloaded").orElse(0), count(stats, "incomplete").orElse(0)));
            }
        }
        return results;
    }

    /** Decodes the body and turns a {@code failure reason} into the exception it stands for. */
    private static BDictionary dictionary(byte[] body) throws TrackerException {
        BValue value;
        try {
            value = DECODER.decode(body);
        } catch (BencodeException e) {
            // The decoder's message may quote a key of the reply, as long as the reply and in any bytes.
            throw bad("the reply is not valid bencode (" + oneLine(e.getMessage()) + ")");
        }
        if (!(value instanceof BDictionary d)) {
            throw bad("the reply is a " + value.typeName() + ", not a dictionary");
        }
        Optional<String> failure = text(d, "failure reason");
        if (failure.isPresent()) {
            throw new TrackerException("tracker said: " + failure.get());
        }
        return d;
    }

    private static List<InetSocketAddress> compact(BString s, int stride, String key, int max)
            throws TrackerException {
        if (s.length() % stride != 0) {
            throw bad(key + " has " + s.length() + " bytes, not a multiple of " + stride);
        }
        return CompactPeers.decode(s.bytes(), 0, s.length(), stride, max);
    }

    /**
     * The original, non-compact form: a list of {ip, port, peer id}; entries naming hosts are dropped, and those
     * after the first {@code max} peers are not read.
     */
    private static List<InetSocketAddress> dictionaryPeers(BList list, int max) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (BValue v : list.values()) {
            if (peers.size() >= max) {
                break;
            }
            if (v instanceof BDictionary p && p.get("ip").orElse(null) instanceof BString ip
                    && p.get("port").orElse(null) instanceof BInteger port
                    && port.value() > 0 && port.value() <= 65535) {
                IpLiteral.parse(ip.asText()).ifPresent(a -> peers.add(new InetSocketAddress(a, (int) port.value())));
            }
        }
        return peers;
    }

    private static Optional<Duration> seconds(BDictionary d, String key) throws TrackerException {
        if (d.get(key).orElse(null) instanceof BInteger i) {
            if (i.value() < 0 || i.value() > Integer.MAX_VALUE) {
                throw bad(key + " " + i.value() + " is out of range");
            }
            return Optional.of(Duration.ofSeconds(i.value()));
        }
        return Optional.empty();
    }

    private static OptionalInt count(BDictionary d, String key) {
        if (d.get(key).orElse(null) instanceof BInteger i && i.value() >= 0 && i.value() <= Integer.MAX_VALUE) {
            return OptionalInt.of((int) i.value());
        }
        return OptionalInt.empty();
    }

    /** A text field, cut short and cleared of control characters so it fits on one line of a log or terminal. */
    static Optional<String> text(BDictionary d, String key) {
        if (d.get(key).orElse(null) instanceof BString s) {
            return Optional.of(oneLine(s.asText()));
        }
        return Optional.empty();
    }

    static String oneLine(String text) {
        String clean = text.codePoints()
                .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().strip();
        return clean.length() <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT) + "...";
    }

    private static TrackerException bad(String what) {
        return new TrackerException("bad tracker reply: " + what);
    }
}
