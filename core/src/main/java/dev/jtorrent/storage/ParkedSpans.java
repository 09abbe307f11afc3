package dev.jtorrent.storage;

import java.util.BitSet;

/**
 * Which bytes of a torrent a {@link FileStorage} keeps in its parts file rather than in place: the spans of parked
 * files (skipped, and not on disk) in the pieces the parts file holds. The start-up check reads them from there, and
 * resume data cannot vouch for them (it records the state of the torrent's files alone), so they are always checked.
 * An immutable snapshot.
 */
public final class ParkedSpans {
    private static final ParkedSpans NONE = new ParkedSpans(new BitSet(), new BitSet());

    private final BitSet files;
    private final BitSet pieces;

    ParkedSpans(BitSet files, BitSet pieces) {
        this.files = (BitSet) files.clone();
        this.pieces = (BitSet) pieces.clone();
    }

    /** The bytes of {@code files} in {@code pieces}, which the parts file holds. */
    public static ParkedSpans of(BitSet files, BitSet pieces) {
        return new ParkedSpans(files, pieces);
    }

    /** Nothing parked: every byte is in place. */
    public static ParkedSpans none() {
        return NONE;
    }

    /** Whether the bytes of {@code span}, a span of {@code piece}, are in the parts file. */
    public boolean contains(int piece, FileSpan span) {
        return !span.padding() && files.get(span.fileIndex()) && pieces.get(piece);
    }

    /** Whether the file's bytes go to the parts file: it is skipped and was not on disk. */
    public boolean isParked(int fileIndex) {
        return files.get(fileIndex);
    }

    /** The pieces the parts file holds bytes of. */
    public BitSet pieces() {
        return (BitSet) pieces.clone();
    }
}
