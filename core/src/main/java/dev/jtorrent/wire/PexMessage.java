package dev.jtorrent.wire;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.net.CompactAddress;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code ut_pex} message (BEP 11): the payload of a BEP 10 {@link Message.Extended} message whose id is the one the
 * receiver gave {@value #EXTENSION_NAME} in its handshake. It tells the receiver which peers the sender connected to
 * and which it lost since its last message, as a bencoded dictionary of compact addresses: 6 bytes each for IPv4
 * (address, then port, big-endian), 18 for IPv6, with one flag byte per added peer:
 *
 * <pre>d5:added12:&lt;2 peers&gt;7:added.f2:&lt;2 flags&gt;6:added618:&lt;1 peer&gt;8:added6.f1:&lt;1 flag&gt;
 *  7:dropped6:&lt;1 peer&gt;e</pre>
 *
 * <p>A message holds its peers of both families in one list each; encoding splits them into the IPv4 and IPv6 keys.
 * {@link PexCodec} decodes them, strictly.
 *
 * @param added   peers the sender is connected to now, with what it knows of them
 * @param dropped peers the sender was connected to, and told of, and is no longer
 */
public record PexMessage(List<Added> added, List<InetSocketAddress> dropped) {
    /** The name of the extension in a BEP 10 handshake's {@code m}. */
    public static final String EXTENSION_NAME = "ut_pex";
    /** Flag: the peer prefers encrypted connections (its extension handshake's {@code e}). */
    public static final int PREFERS_ENCRYPTION = 0x01;
    /** Flag: the peer is a seed, or uploads only (BEP 21). */
    public static final int SEED = 0x02;
    /** Flag: the peer speaks uTP (BEP 29). */
    public static final int SUPPORTS_UTP = 0x04;
    /** Flag: the peer offered {@code ut_holepunch} (BEP 55). */
    public static final int SUPPORTS_HOLEPUNCH = 0x08;
    /** Flag: the sender dialled the peer, so it accepts connections at that address. */
    public static final int REACHABLE = 0x10;
    /** Bytes of a compact IPv4 address and port. */
    public static final int COMPACT_IPV4 = CompactAddress.IPV4_LENGTH;
    /** Bytes of a compact IPv6 address and port. */
    public static final int COMPACT_IPV6 = CompactAddress.IPV6_LENGTH;

    /**
     * A peer the sender is connected to.
     *
     * @param address where it accepts connections
     * @param flags   a byte of {@link #PREFERS_ENCRYPTION}, {@link #SEED}, {@link #SUPPORTS_UTP},
     *                {@link #SUPPORTS_HOLEPUNCH} and {@link #REACHABLE}; BEP 11 reserves the other bits
     */
    public record Added(InetSocketAddress address, int flags) {
        public Added {
            requireCompactable(address);
            if (flags < 0 || flags > 0xFF) {
                throw new IllegalArgumentException("PEX flags are one byte: " + flags);
            }
        }
    }

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
        dropped.forEach(PexMessage::requireCompactable);
    }

    /** The bencoded payload of the extended message that carries this message. */
    public byte[] encode() {
        ByteArrayOutputStream added4 = new ByteArrayOutputStream();
        ByteArrayOutputStream flags4 = new ByteArrayOutputStream();
        ByteArrayOutputStream added6 = new ByteArrayOutputStream();
        ByteArrayOutputStream flags6 = new ByteArrayOutputStream();
        for (Added peer : added) {
            boolean v4 = peer.address().getAddress() instanceof Inet4Address;
            (v4 ? added4 : added6).writeBytes(CompactAddress.encode(peer.address()));
            (v4 ? flags4 : flags6).write(peer.flags());
        }
        ByteArrayOutputStream dropped4 = new ByteArrayOutputStream();
        ByteArrayOutputStream dropped6 = new ByteArrayOutputStream();
        for (InetSocketAddress peer : dropped) {
            (peer.getAddress() instanceof Inet4Address ? dropped4 : dropped6).writeBytes(CompactAddress.encode(peer));
        }
        // "added" and "dropped" always, so that the message has one of the fields BEP 11 requires; IPv6 when used.
        BDictionary.Builder d = BDictionary.builder()
                .put("added", BString.of(added4.toByteArray()))
                .put("added.f", BString.of(flags4.toByteArray()))
                .put("dropped", BString.of(dropped4.toByteArray()));
        if (added6.size() > 0) {
            d.put("added6", BString.of(added6.toByteArray())).put("added6.f", BString.of(flags6.toByteArray()));
        }
        if (dropped6.size() > 0) {
            d.put("dropped6", BString.of(dropped6.toByteArray()));
        }
        return BencodeEncoder.encode(d.build());
    }

    private static void requireCompactable(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address.getAddress() instanceof Inet4Address) && !(address.getAddress() instanceof Inet6Address)) {
            throw new IllegalArgumentException("a PEX address must be a resolved IP address: " + address);
        }
    }
}
