package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.FileSpan;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.ParkedSpans;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.swarm.PieceSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Decides how far a torrent's resume data can be trusted, given the files as they are now: the pieces it claims
 * in files unchanged since it was saved are taken as ours without reading them; every piece that touches a changed
 * file is checked. Resume data that does not fit the torrent at all, or claims pieces that its own file sizes
 * cannot hold, is ignored and every piece checked.
 *
 * <p>A file that was absent when the data was saved holds none of the pieces it claims: their bytes in it were
 * parked (kept in the parts file, see {@link dev.jtorrent.storage.FileStorage}), where the file states recorded
 * cannot vouch for them. Such pieces are checked, as any other data, never trusted.
 */
final class ResumeCheck {
    /**
     * @param trusted the pieces taken as ours without a check
     * @param toCheck the pieces to read and hash; the rest are missing
     * @param note    for people, when there is something to say: what was used and why, such as "resumed 120 of
     *                256 pieces without a check"
     */
    record Outcome(PieceSet trusted, BitSet toCheck, Optional<String> note) {
    }

    private ResumeCheck() {
    }

    /** No usable resume data: every piece is checked. */
    static Outcome checkAll(int pieceCount, Optional<String> note) {
        BitSet all = new BitSet(pieceCount);
        all.set(0, pieceCount);
        return new Outcome(new PieceSet(pieceCount), all, note);
    }

    /**
     * The pieces whose data can be on disk at all: every file they touch (pad files aside) exists and is long enough,
     * or the parts file holds their bytes. The rest need no reading: a fresh download has nothing to check.
     */
    static BitSet readable(PieceMap map, List<FileState> now, ParkedSpans parked) {
        BitSet readable = new BitSet(map.pieceCount());
        for (int piece = 0; piece < map.pieceCount(); piece++) {
            boolean all = true;
            for (FileSpan span : map.spans(piece)) {
                all &= span.padding() || parked.contains(piece, span)
                        || now.get(span.fileIndex()).size() >= span.fileOffset() + span.length();
            }
            readable.set(piece, all);
        }
        return readable;
    }

    private static boolean allGone(List<FileState> recorded, List<FileState> now) {
        for (int i = 0; i < recorded.size(); i++) {
            if (recorded.get(i).size() > 0 && now.get(i).exists()) {
                return false;
            }
        }
        return true;
    }

    private static Outcome checkAll(int pieceCount, String note) {
        return checkAll(pieceCount, Optional.of(note));
    }

    /**
     * @throws IOException if the data claims pieces and every file that held them is gone: an unmounted disk looks
     *                     like that, and downloading again would fill the disk under the mount point
     */
    static Outcome of(ResumeData data, InfoHash infoHash, String directory, PieceMap map, List<FileState> now,
                      Path resumeFile) throws IOException {
        int pieceCount = map.pieceCount();
        if (!data.infoHash().equals(infoHash)) {
            return checkAll(pieceCount, "resume data is for another torrent: checked the data");
        }
        if (!data.directory().equals(directory)) {
            return checkAll(pieceCount, "resume data was saved for " + data.directory() + ": checked the data");
        }
        if (data.files().size() != map.files().size()) {
            return checkAll(pieceCount, "resume data lists " + data.files().size() + " files, the torrent "
                    + map.files().size() + ": checked the data");
        }
        PieceSet claimed;
        try {
            claimed = PieceSet.fromBitfield(data.bitfield(), pieceCount);
        } catch (IllegalArgumentException e) {
            return checkAll(pieceCount, "resume data does not fit the torrent (" + e.getMessage()
                    + "): checked the data");
        }
        for (int piece = claimed.next(0); piece >= 0; piece = claimed.next(piece + 1)) {
            for (FileSpan span : map.spans(piece)) {
                FileState recorded = data.files().get(span.fileIndex());
                if (!span.padding() && recorded.exists() && recorded.size() < span.fileOffset() + span.length()) {
                    return checkAll(pieceCount, "resume data claims piece " + piece
                            + ", which its files cannot hold: checked the data");
                }
            }
        }
        if (!claimed.isEmpty() && allGone(data.files(), now)) {
            throw new IOException("resume data says " + claimed.count() + " pieces are in " + directory
                    + ", but none of the torrent's files is there: is the disk mounted? To download everything again, "
                    + "delete " + resumeFile);
        }
        boolean[] changed = new boolean[now.size()];
        int changedFiles = 0;
        for (int i = 0; i < changed.length; i++) {
            changed[i] = !now.get(i).equals(data.files().get(i));
            changedFiles += changed[i] ? 1 : 0;
        }
        PieceSet trusted = new PieceSet(pieceCount);
        BitSet toCheck = new BitSet(pieceCount);
        for (int piece = 0; piece < pieceCount; piece++) {
            boolean unvouched = false;
            for (FileSpan span : map.spans(piece)) {
                unvouched |= !span.padding() && (changed[span.fileIndex()]
                        || !data.files().get(span.fileIndex()).exists());
            }
            if (unvouched) {
                toCheck.set(piece);
            } else if (claimed.has(piece)) {
                trusted.add(piece);
            }
        }
        String note = changedFiles == 0
                ? "resumed " + trusted.count() + " of " + pieceCount + " pieces without a check"
                : "resumed " + trusted.count() + " of " + pieceCount + " pieces; " + changedFiles
                        + (changedFiles == 1 ? " file" : " files") + " changed since, so "
                        + toCheck.cardinality() + " pieces were checked";
        return new Outcome(trusted, toCheck, Optional.of(note));
    }
}
