package dev.jtorrent.wire;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;
import dev.jtorrent.net.CompactAddress;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes {@link PexMessage}s (BEP 11), strictly: a payload that is not one canonical bencoded dictionary within
 * {@value #MAX_PAYLOAD} bytes, an address list that is not a string of whole 6- or 18-byte entries, or flags that are
 * not one byte per added peer are a {@link ProtocolException}. Flags may be absent (libtorrent accepts that too; the
 * peers then have none). Keys BEP 11 does not name are ignored, as BEP 10 asks. Encoding is
 * {@link PexMessage#encode()}.
 *
 * <p>Of each of the four address lists, only the first {@value #MAX_ENTRIES} entries are read; the rest are
 * skipped, not refused, since BEP 11 leaves a sender's first message unbounded. The receiver takes fewer still (see
 * {@code PeerExchange}); this bound only keeps what a message can make us allocate small. An IPv6 entry that is an
 * IPv4-mapped address is skipped: an IPv4 peer belongs in {@code added}, and taking it from {@code added6} would let
 * one address come in twice.
 */
public final class PexCodec {
    /**
     * Entries read from each address list of a message: twice the 100 that libtorrent sends at most, four times the
     * 50 that BEP 11 allows in a message after the first.
     */
    public static final int MAX_ENTRIES = 200;
    /**
     * The largest payload accepted: four lists of {@value #MAX_ENTRIES} entries and their flags take about 10 KiB,
     * and the rest leaves room for keys we ignore. libtorrent drops a peer whose message passes 500 KiB.
     */
    public static final int MAX_PAYLOAD = 64 * 1024;
    private static final BencodeDecoder DECODER = BencodeDecoder.strict(new BencodeLimits(4, 1024, MAX_PAYLOAD));

    private PexCodec() {
    }

    /** Decodes the payload of a {@code ut_pex} extended message. */
    public static PexMessage decode(byte[] payload) throws ProtocolException {
        if (payload.length > MAX_PAYLOAD) {
            throw new ProtocolException("A ut_pex message of " + payload.length + " bytes is longer than the limit of "
                    + MAX_PAYLOAD + ".");
        }
        BValue value;
        try {
            value = DECODER.decode(payload);
        } catch (BencodeException e) {
            throw new ProtocolException("A ut_pex message is not valid bencoding: " + e.getMessage() + ".", e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new ProtocolException("A ut_pex message is a " + value.typeName() + ", not a dictionary.");
        }
        List<PexMessage.Added> added = new ArrayList<>(added(d, "added", PexMessage.COMPACT_IPV4));
        added.addAll(added(d, "added6", PexMessage.COMPACT_IPV6));
        List<InetSocketAddress> dropped = new ArrayList<>(addresses(d, "dropped", PexMessage.COMPACT_IPV4));
        dropped.addAll(addresses(d, "dropped6", PexMessage.COMPACT_IPV6));
        dropped.removeIf(Objects::isNull);
        return new PexMessage(added, dropped);
    }

    /** The added peers of one family with their flags, which must be one byte per peer if present. */
    private static List<PexMessage.Added> added(BDictionary d, String key, int entryLength) throws ProtocolException {
        List<InetSocketAddress> addresses = addresses(d, key, entryLength);
        Optional<byte[]> flags = bytes(d, key + ".f");
        int count = bytes(d, key).map(b -> b.length / entryLength).orElse(0);
        if (flags.isPresent() && flags.get().length != count) {
            throw new ProtocolException("A ut_pex message's \"" + key + ".f\" has " + flags.get().length
                    + " flags for " + count + " peers.");
        }
        List<PexMessage.Added> peers = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.get(i) != null) {
                peers.add(new PexMessage.Added(addresses.get(i),
                        flags.isPresent() ? Byte.toUnsignedInt(flags.get()[i]) : 0));
            }
        }
        return peers;
    }

    /**
     * The first {@value #MAX_ENTRIES} entries of an address list, null for each one skipped (an IPv4-mapped IPv6
     * address), so that entry {@code i} stays at index {@code i}; empty if the key is absent.
     */
    private static List<InetSocketAddress> addresses(BDictionary d, String key, int entryLength)
            throws ProtocolException {
        Optional<byte[]> bytes = bytes(d, key);
        if (bytes.isEmpty()) {
            return List.of();
        }
        byte[] compact = bytes.get();
        if (compact.length % entryLength != 0) {
            throw new ProtocolException("A ut_pex message's \"" + key + "\" is " + compact.length
                    + " bytes long, not a multiple of " + entryLength + ".");
        }
        int count = Math.min(compact.length / entryLength, MAX_ENTRIES);
        List<InetSocketAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            InetSocketAddress address = CompactAddress.decode(compact, i * entryLength, entryLength);
            boolean mapped = entryLength == PexMessage.COMPACT_IPV6 && address.getAddress() instanceof Inet4Address;
            addresses.add(mapped ? null : address);
        }
        return addresses;
    }

    private static Optional<byte[]> bytes(BDictionary d, String key) throws ProtocolException {
        Optional<BValue> value = d.get(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof BString s)) {
            throw new ProtocolException("A ut_pex message's \"" + key + "\" is a " + value.get().typeName()
                    + ", not a string.");
        }
        return Optional.of(s.bytes());
    }
}
