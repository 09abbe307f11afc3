package dev.jtorrent.wire;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.bencode.BencodeLimits;

import java.util.Arrays;

/**
 * A {@code ut_metadata} message (BEP 9): the payload of a BEP 10 {@link Message.Extended} message whose id is the one
 * the receiver gave {@value #EXTENSION_NAME} in its handshake. It is a bencoded dictionary, canonical as every
 * protocol message must be: {@code msg_type} (0 request, 1 data, 2 reject), {@code piece} (which 16 KiB piece of the
 * info dictionary), and for data {@code total_size} (the info dictionary's size), followed only in a data message by
 * the piece's bytes:
 *
 * <pre>d8:msg_typei1e5:piecei0e10:total_sizei34256ee&lt;16 KiB of the info dictionary&gt;</pre>
 *
 * <p>{@link MetadataCodec} decodes them, strictly.
 */
public sealed interface MetadataMessage {
    /** The name of the extension in a BEP 10 handshake's {@code m}. */
    String EXTENSION_NAME = "ut_metadata";
    /** Every piece of the info dictionary is this long, but the last. */
    int PIECE_SIZE = 16 * 1024;
    /** The largest info dictionary a message may describe: the largest torrent file we read. */
    int MAX_TOTAL_SIZE = BencodeLimits.TORRENT_FILE.maxSize();
    /** Bytes the dictionary before a data piece may take; the three keys need about 50. */
    int MAX_DICTIONARY = 256;

    /** The piece of the info dictionary the message is about. */
    int piece();

    /** {@code d8:msg_typei0e5:piecei<piece>ee}: asks for a piece. */
    record Request(int piece) implements MetadataMessage {
        public Request {
            requireValidPiece(piece);
        }
    }

    /** {@code d8:msg_typei2e5:piecei<piece>ee}: the sender will not give the piece. */
    record Reject(int piece) implements MetadataMessage {
        public Reject {
            requireValidPiece(piece);
        }
    }

    /**
     * {@code d8:msg_typei1e5:piecei<piece>e10:total_sizei<size>ee<data>}: a piece of the info dictionary, 16 KiB long
     * but for the last, which holds the rest.
     */
    record Data(int piece, int totalSize, byte[] data) implements MetadataMessage {
        public Data {
            if (totalSize < 1 || totalSize > MAX_TOTAL_SIZE) {
                throw new IllegalArgumentException("total size out of 1.." + MAX_TOTAL_SIZE + ": " + totalSize);
            }
            requireValidPiece(piece);
            if (piece >= pieceCount(totalSize)) {
                throw new IllegalArgumentException("piece " + piece + " past the end of " + totalSize + " bytes");
            }
            if (data.length != pieceLength(piece, totalSize)) {
                throw new IllegalArgumentException("piece " + piece + " of " + totalSize + " bytes must be "
                        + pieceLength(piece, totalSize) + " bytes long, not " + data.length);
            }
            data = data.clone();
        }

        /** A copy of the piece's bytes. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data other && other.piece == piece && other.totalSize == totalSize
                    && Arrays.equals(other.data, data);
        }

        @Override
        public int hashCode() {
            return (31 * piece + totalSize) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Data[piece=" + piece + ", totalSize=" + totalSize + ", length=" + data.length + "]";
        }
    }

    /** How many pieces an info dictionary of {@code totalSize} bytes is cut into. */
    static int pieceCount(int totalSize) {
        return (int) ((totalSize + (long) PIECE_SIZE - 1) / PIECE_SIZE);
    }

    /** The length of {@code piece} of an info dictionary of {@code totalSize} bytes. */
    static int pieceLength(int piece, int totalSize) {
        return (int) Math.min(PIECE_SIZE, totalSize - (long) piece * PIECE_SIZE);
    }

    /** The payload of the extended message that carries this message. */
    default byte[] encode() {
        BDictionary.Builder d = BDictionary.builder().put("msg_type", switch (this) {
            case Request r -> 0;
            case Data r -> 1;
            case Reject r -> 2;
        }).put("piece", piece());
        if (!(this instanceof Data data)) {
            return BencodeEncoder.encode(d.build());
        }
        byte[] dictionary = BencodeEncoder.encode(d.put("total_size", data.totalSize()).build());
        byte[] payload = Arrays.copyOf(dictionary, dictionary.length + data.data.length);
        System.arraycopy(data.data, 0, payload, dictionary.length, data.data.length);
        return payload;
    }

    private static void requireValidPiece(int piece) {
        if (piece < 0) {
            throw new IllegalArgumentException("negative piece: " + piece);
        }
    }
}
