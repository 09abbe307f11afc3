package dev.jtorrent.wire;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.Message.AllowedFast;
import dev.jtorrent.wire.Message.Bitfield;
import dev.jtorrent.wire.Message.Cancel;
import dev.jtorrent.wire.Message.Extended;
import dev.jtorrent.wire.Message.Have;
import dev.jtorrent.wire.Message.HaveAll;
import dev.jtorrent.wire.Message.HaveNone;
import dev.jtorrent.wire.Message.Piece;
import dev.jtorrent.wire.Message.Reject;
import dev.jtorrent.wire.Message.Request;
import dev.jtorrent.wire.Message.Suggest;

import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * The checks on a decoded message that need the torrent and the handshake: piece indices in range, a bitfield of
 * exactly {@code ceil(pieceCount / 8)} bytes with its spare bits clear, requests within their piece and at most
 * 16 KiB, and no BEP 6 or BEP 10 message unless both sides announced that extension. A failed check is a
 * {@link ProtocolException}: BEP 3 and BEP 6 say to close the connection. Whether a piece was requested, or a
 * bitfield came first and once, is the swarm's to judge. Immutable and thread-safe.
 *
 * <p>Before the torrent's metadata is known ({@link #beforeMetadata}), the pieces are not: a peer's bitfield may
 * have any length (its message is bounded by {@link WireLimits}) and any piece index passes; the checks of the
 * extensions and of the request length still hold.
 */
public final class PeerMessageValidator {
    /** The largest request served, 2^14: BEP 3 says all implementations close connections that ask for more. */
    public static final int MAX_REQUEST_LENGTH = 16 * 1024;

    /** Unknown pieces: before the metadata. */
    private static final int UNKNOWN = -1;

    private final int pieceCount;
    private final IntUnaryOperator pieceSize;
    private final boolean fast;
    private final boolean extensionProtocol;

    /**
     * @param pieceCount        pieces in the torrent
     * @param pieceSize         the length of each piece, for pieces {@code 0 .. pieceCount - 1}
     * @param fast              both sides announced BEP 6 in their handshakes
     * @param extensionProtocol both sides announced BEP 10 in their handshakes
     */
    public PeerMessageValidator(int pieceCount, IntUnaryOperator pieceSize, boolean fast, boolean extensionProtocol) {
        if (pieceCount < UNKNOWN) {
            throw new IllegalArgumentException("piece count is negative: " + pieceCount);
        }
        this.pieceCount = pieceCount;
        this.pieceSize = Objects.requireNonNull(pieceSize, "pieceSize");
        this.fast = fast;
        this.extensionProtocol = extensionProtocol;
    }

    /** A validator for {@code info}'s pieces and the extensions both handshakes announced. */
    public static PeerMessageValidator of(InfoDictionary info, Handshake ours, Handshake theirs) {
        return new PeerMessageValidator(info.pieceCount(), info::pieceSize,
                ours.supportsFast() && theirs.supportsFast(),
                ours.supportsExtensionProtocol() && theirs.supportsExtensionProtocol());
    }

    /**
     * A validator for a torrent's peer whose handshake is {@code theirs}, ours announcing both BEP 6 and BEP 10 (as
     * jtorrent's always do).
     */
    public static PeerMessageValidator of(InfoDictionary info, Handshake theirs) {
        return new PeerMessageValidator(info.pieceCount(), info::pieceSize, theirs.supportsFast(),
                theirs.supportsExtensionProtocol());
    }

    /**
     * A validator for a peer of a torrent whose metadata we do not have yet, whose handshake is {@code theirs}: see
     * the class comment.
     */
    public static PeerMessageValidator beforeMetadata(Handshake theirs) {
        return new PeerMessageValidator(UNKNOWN, piece -> Integer.MAX_VALUE, theirs.supportsFast(),
                theirs.supportsExtensionProtocol());
    }

    /** Returns {@code message} if it is valid for this torrent and connection. */
    public Message validate(Message message) throws ProtocolException {
        switch (message) {
            case Have h -> index(h.piece(), "have");
            case Bitfield b -> bitfield(b);
            case Request r -> block(r.piece(), r.begin(), r.length(), "request");
            case Cancel c -> block(c.piece(), c.begin(), c.length(), "cancel");
            case Piece p -> piece(p);
            case Suggest s -> {
                requireFast("suggest");
                index(s.piece(), "suggest");
            }
            case AllowedFast a -> {
                requireFast("allowed fast");
                index(a.piece(), "allowed fast");
            }
            case Reject r -> {
                requireFast("reject");
                block(r.piece(), r.begin(), r.length(), "reject");
            }
            case HaveAll h -> requireFast("have all");
            case HaveNone h -> requireFast("have none");
            case Extended e -> {
                if (!extensionProtocol) {
                    throw new ProtocolException("An extended message arrived but the extension protocol is off.");
                }
            }
            default -> { }
        }
        return message;
    }

    private void requireFast(String name) throws ProtocolException {
        if (!fast) {
            throw new ProtocolException(article(name) + " message arrived but the fast extension is off.");
        }
    }

    /** "A request", "An allowed fast": the messages read as sentences. */
    private static String article(String name) {
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "An " : "A ") + name;
    }

    private void index(int piece, String name) throws ProtocolException {
        if (pieceCount != UNKNOWN && piece >= pieceCount) {
            throw new ProtocolException(article(name) + " message names piece " + piece + " of a torrent with "
                    + pieceCount + " pieces.");
        }
    }

    private void bitfield(Bitfield bitfield) throws ProtocolException {
        if (pieceCount == UNKNOWN) {
            return;
        }
        int expected = (pieceCount + 7) / 8;
        if (bitfield.byteLength() != expected) {
            throw new ProtocolException("A bitfield for " + pieceCount + " pieces has " + expected
                    + " bytes, not " + bitfield.byteLength() + ".");
        }
        int spare = expected * 8 - pieceCount;
        if (spare > 0 && (bitfield.unsafeBits()[expected - 1] & ((1 << spare) - 1)) != 0) {
            throw new ProtocolException("A bitfield has bits set past the last piece.");
        }
    }

    private void block(int piece, int begin, int length, String name) throws ProtocolException {
        index(piece, name);
        if (length == 0 || length > MAX_REQUEST_LENGTH) {
            throw new ProtocolException(article(name) + " message asks for " + length
                    + " bytes, outside 1.." + MAX_REQUEST_LENGTH + ".");
        }
        withinPiece(piece, begin, length, name);
    }

    private void piece(Piece p) throws ProtocolException {
        index(p.piece(), "piece");
        withinPiece(p.piece(), p.begin(), p.length(), "piece");
    }

    private void withinPiece(int piece, int begin, int length, String name) throws ProtocolException {
        long end = (long) begin + length;
        int size = pieceSize.applyAsInt(piece);
        if (end > size) {
            throw new ProtocolException(article(name) + " message for bytes " + begin + ".." + end + " runs past the end"
                    + " of piece " + piece + " (" + size + " bytes).");
        }
    }
}
