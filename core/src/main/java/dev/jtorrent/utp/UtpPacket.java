package dev.jtorrent.utp;

import java.nio.ByteBuffer;

/**
 * One uTP packet (BEP 29) read from a datagram, strictly: its 20-byte header, its chain of extensions, and where its
 * payload lies in the datagram.
 *
 * <pre>
 * 0       4       8               16              24              32
 * +-------+-------+---------------+---------------+---------------+
 * | type  | ver   | extension     | connection_id                 |
 * +-------+-------+---------------+---------------+---------------+
 * | timestamp_microseconds                                        |
 * | timestamp_difference_microseconds                             |
 * | wnd_size                                                      |
 * +---------------+---------------+---------------+---------------+
 * | seq_nr                        | ack_nr                        |
 * +---------------+---------------+---------------+---------------+
 * then each extension: &lt;next extension type: 1 byte&gt;&lt;len: 1 byte&gt;&lt;len bytes&gt;, then the payload.
 * </pre>
 *
 * <p>Known extensions: selective ACK (1, a bitmask from {@code ack_nr + 2}, least significant bit first), and
 * jtorrent's own {@link #EXTENSION_MAX_DATAGRAM} (74: two bytes, the largest UDP payload the sender can receive
 * whole). The second exists because libtorrent reads each datagram into a 1,500-byte buffer and silently takes a
 * longer one cut short as a whole packet; a larger path-MTU probe would corrupt its stream. So a peer is sent
 * datagrams over {@link #ETHERNET_PAYLOAD} bytes only once it said it can take them; libtorrent, like BEP 29, skips
 * extensions it does not know. Unknown extensions are skipped here too, at most {@link #MAX_EXTENSIONS} of them.
 *
 * <p>The object is mutable and reused: one per reader, so reading a datagram allocates nothing. Reads never move
 * the datagram's position.
 */
public final class UtpPacket {
    /** The header's size without extensions. */
    public static final int HEADER_BYTES = 20;
    /** The only version BEP 29 defines. */
    public static final int VERSION = 1;
    static final int EXTENSION_NONE = 0;
    static final int EXTENSION_SACK = 1;
    /** jtorrent's extension: two bytes, the largest UDP payload the sender can receive whole. */
    static final int EXTENSION_MAX_DATAGRAM = 74;
    static final int MAX_DATAGRAM_EXTENSION_BYTES = 2;
    /** Extensions in one packet at most: libtorrent sends two at most (SACK and a close reason). */
    static final int MAX_EXTENSIONS = 8;
    /** The largest UDP payload over IPv4 (65,535 - 20 - 8). */
    public static final int MAX_DATAGRAM = 65_507;
    /** A UDP payload in one Ethernet frame over IPv4 (1,500 - 20 - 8): what every uTP peer can take. */
    public static final int ETHERNET_PAYLOAD = 1_472;

    private UtpType type;
    private int connectionId;
    private int timestampMicros;
    private int timestampDifferenceMicros;
    private long windowSize;
    private int seqNr;
    private int ackNr;
    private int sackOffset;
    private int sackLength;
    private int maxDatagram;
    private int payloadOffset;
    private int payloadLength;

    /** Whether a datagram can be uTP at all: long enough for a header, version 1, a type from 0 to 4. */
    public static boolean looksLikeUtp(ByteBuffer datagram) {
        if (datagram.remaining() < HEADER_BYTES) {
            return false;
        }
        int first = datagram.get(datagram.position()) & 0xFF;
        return (first & 0x0F) == VERSION && UtpType.of(first >>> 4) != null;
    }

    /**
     * Reads {@code datagram} (position to limit) into this object.
     *
     * @throws UtpPacketException if it is too short, of another version or an unknown type, or its extensions are
     *                            cut short, too many, or malformed; this object is then in no defined state
     */
    public UtpPacket parse(ByteBuffer datagram) throws UtpPacketException {
        int start = datagram.position();
        int end = datagram.limit();
        if (end - start < HEADER_BYTES) {
            throw new UtpPacketException("a uTP packet of " + (end - start) + " bytes, shorter than its header");
        }
        int first = datagram.get(start) & 0xFF;
        if ((first & 0x0F) != VERSION) {
            throw new UtpPacketException("uTP version " + (first & 0x0F) + ", not 1");
        }
        type = UtpType.of(first >>> 4);
        if (type == null) {
            throw new UtpPacketException("unknown uTP packet type " + (first >>> 4));
        }
        int extension = datagram.get(start + 1) & 0xFF;
        connectionId = datagram.getShort(start + 2) & 0xFFFF;
        timestampMicros = datagram.getInt(start + 4);
        timestampDifferenceMicros = datagram.getInt(start + 8);
        windowSize = datagram.getInt(start + 12) & 0xFFFF_FFFFL;
        seqNr = datagram.getShort(start + 16) & 0xFFFF;
        ackNr = datagram.getShort(start + 18) & 0xFFFF;
        sackOffset = 0;
        sackLength = 0;
        maxDatagram = 0;
        int at = start + HEADER_BYTES;
        int count = 0;
        while (extension != EXTENSION_NONE) {
            if (++count > MAX_EXTENSIONS) {
                throw new UtpPacketException("more than " + MAX_EXTENSIONS + " uTP extensions");
            }
            if (end - at < 2) {
                throw new UtpPacketException("uTP extension " + extension + " cut short");
            }
            int next = datagram.get(at) & 0xFF;
            int length = datagram.get(at + 1) & 0xFF;
            at += 2;
            if (end - at < length) {
                throw new UtpPacketException("uTP extension " + extension + " of " + length + " bytes cut short");
            }
            if (extension == EXTENSION_SACK) {
                if (length == 0) {
                    throw new UtpPacketException("an empty selective ACK");
                }
                sackOffset = at;
                sackLength = length;
            } else if (extension == EXTENSION_MAX_DATAGRAM) {
                if (length != MAX_DATAGRAM_EXTENSION_BYTES) {
                    throw new UtpPacketException("a datagram size extension of " + length + " bytes, not 2");
                }
                maxDatagram = datagram.getShort(at) & 0xFFFF;
            }
            at += length;
            extension = next;
        }
        payloadOffset = at;
        payloadLength = end - at;
        if (payloadLength > 0 && type != UtpType.DATA) {
            throw new UtpPacketException("a uTP " + type + " packet with " + payloadLength + " bytes of payload");
        }
        return this;
    }

    /**
     * Writes a header at {@code dst}'s position and moves it past; the extensions, if {@code firstExtension} is not
     * 0, must follow at once.
     */
    static void putHeader(ByteBuffer dst, UtpType type, int firstExtension, int connectionId, int timestampMicros,
            int timestampDifferenceMicros, long windowSize, int seqNr, int ackNr) {
        dst.put((byte) (type.ordinal() << 4 | VERSION));
        dst.put((byte) firstExtension);
        dst.putShort((short) connectionId);
        dst.putInt(timestampMicros);
        dst.putInt(timestampDifferenceMicros);
        dst.putInt((int) Math.min(windowSize, 0xFFFF_FFFFL));
        dst.putShort((short) seqNr);
        dst.putShort((short) ackNr);
    }

    public UtpType type() {
        return type;
    }

    public int connectionId() {
        return connectionId;
    }

    public int timestampMicros() {
        return timestampMicros;
    }

    public int timestampDifferenceMicros() {
        return timestampDifferenceMicros;
    }

    /** The advertised receive window, in bytes (unsigned 32 bits). */
    public long windowSize() {
        return windowSize;
    }

    public int seqNr() {
        return seqNr;
    }

    public int ackNr() {
        return ackNr;
    }

    /** The selective ACK bitmask's offset in the datagram; {@link #sackLength()} is 0 when there is none. */
    public int sackOffset() {
        return sackOffset;
    }

    public int sackLength() {
        return sackLength;
    }

    /** The largest datagram the sender said it can receive, or 0 if it did not say. */
    public int maxDatagram() {
        return maxDatagram;
    }

    /** Where the payload starts in the datagram (an absolute index). */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }
}
