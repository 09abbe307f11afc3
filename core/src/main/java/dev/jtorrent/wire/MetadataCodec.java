package dev.jtorrent.wire;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BInteger;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;

import java.util.Arrays;
import java.util.Optional;

/**
 * Decodes {@link MetadataMessage}s (BEP 9), strictly: a payload that is not a canonical bencoded dictionary, an
 * unknown {@code msg_type}, a missing or negative {@code piece}, a data piece past the end of its
 * {@code total_size} or of the wrong length, bytes after the dictionary of a request or reject, or a dictionary
 * longer than {@value MetadataMessage#MAX_DICTIONARY} bytes are a {@link ProtocolException}. Keys BEP 9 does not name
 * are ignored, as BEP 10 asks. Encoding is {@link MetadataMessage#encode()}.
 */
public final class MetadataCodec {
    private static final BencodeDecoder DECODER =
            BencodeDecoder.strict(new BencodeLimits(4, 64, MetadataMessage.MAX_DICTIONARY));

    private MetadataCodec() {
    }

    /** Decodes the payload of a {@code ut_metadata} extended message. */
    public static MetadataMessage decode(byte[] payload) throws ProtocolException {
        int end = dictionaryEnd(payload);
        BDictionary d = (BDictionary) DECODER.decode(Arrays.copyOf(payload, end));
        int type = (int) integer(d, "msg_type", 0, 2);
        int piece = (int) integer(d, "piece", 0, Integer.MAX_VALUE);
        if (type != 1) {
            if (end != payload.length) {
                throw new ProtocolException("A ut_metadata " + (type == 0 ? "request" : "reject") + " has "
                        + (payload.length - end) + " bytes after its dictionary.");
            }
            return type == 0 ? new MetadataMessage.Request(piece) : new MetadataMessage.Reject(piece);
        }
        int totalSize = (int) integer(d, "total_size", 1, MetadataMessage.MAX_TOTAL_SIZE);
        if (piece >= MetadataMessage.pieceCount(totalSize)) {
            throw new ProtocolException("ut_metadata piece " + piece + " is past the end of an info dictionary of "
                    + totalSize + " bytes.");
        }
        int length = payload.length - end;
        if (length != MetadataMessage.pieceLength(piece, totalSize)) {
            throw new ProtocolException("ut_metadata piece " + piece + " of " + totalSize + " bytes carries " + length
                    + " bytes, not " + MetadataMessage.pieceLength(piece, totalSize) + ".");
        }
        return new MetadataMessage.Data(piece, totalSize, Arrays.copyOfRange(payload, end, payload.length));
    }

    /**
     * Where the leading dictionary ends. Bencoding is prefix-free: exactly one prefix of the payload ending in an
     * {@code e} is a whole value, so the first prefix that decodes is the dictionary. Only the first
     * {@value MetadataMessage#MAX_DICTIONARY} bytes are tried, a few hundred small decodes at most.
     */
    private static int dictionaryEnd(byte[] payload) throws ProtocolException {
        if (payload.length == 0 || payload[0] != 'd') {
            throw new ProtocolException("A ut_metadata message does not start with a dictionary.");
        }
        int limit = Math.min(payload.length, MetadataMessage.MAX_DICTIONARY);
        BencodeException last = null;
        for (int end = 2; end <= limit; end++) {
            if (payload[end - 1] != 'e') {
                continue;
            }
            try {
                if (DECODER.decode(Arrays.copyOf(payload, end)) instanceof BDictionary) {
                    return end;
                }
            } catch (BencodeException notYet) {
                last = notYet;
            }
        }
        if (payload.length > MetadataMessage.MAX_DICTIONARY) {
            throw new ProtocolException("A ut_metadata message's dictionary is not within its first "
                    + MetadataMessage.MAX_DICTIONARY + " bytes.");
        }
        throw new ProtocolException("A ut_metadata message is not a valid bencoded dictionary"
                + (last == null ? "." : ": " + last.getMessage() + "."));
    }

    private static long integer(BDictionary d, String key, long min, long max) throws ProtocolException {
        Optional<BValue> value = d.get(key);
        if (value.isEmpty()) {
            throw new ProtocolException("A ut_metadata message has no \"" + key + "\".");
        }
        if (!(value.get() instanceof BInteger i)) {
            throw new ProtocolException("A ut_metadata message's \"" + key + "\" is a " + value.get().typeName()
                    + ", not an integer.");
        }
        if (i.value() < min || i.value() > max) {
            throw new ProtocolException("A ut_metadata message's \"" + key + "\" is " + i.value() + ", outside "
                    + min + ".." + max + ".");
        }
        return i.value();
    }
}
