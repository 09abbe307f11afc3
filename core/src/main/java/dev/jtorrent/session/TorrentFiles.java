package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.swarm.PieceSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A torrent's files as its handle shows them: each with its priority and how much of it is verified, kept up to date
 * piece by piece. Pad files (BEP 47) are left out, so a file's index is its place among the files people see, as
 * {@code jtorrent info} numbers them (from 1 there). Thread-safe.
 *
 * <p>Each file's verified bytes are counted as pieces arrive, so a finished piece costs the files it touches (found by
 * a binary search of their ends), not a pass over every file or every piece of a large one: it is told on the
 * swarm's thread.
 */
final class TorrentFiles {
    private final InfoDictionary info;
    private volatile List<FileEntry> files; // replaced when files are renamed (their paths change)
    /** Where each file ends in the torrent's bytes, in order (files are laid out one after another). */
    private final long[] ends;
    private final FilePriority[] priorities;
    private PieceSet verified;
    private final long[] verifiedBytes;

    TorrentFiles(InfoDictionary info, AddOptions options) {
        this.info = info;
        this.files = info.contentFiles();
        this.priorities = new FilePriority[files.size()];
        for (int i = 0; i < priorities.length; i++) {
            priorities[i] = options.priority(i);
        }
        this.verified = new PieceSet(info.pieceCount());
        this.ends = new long[files.size()];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = files.get(i).end();
        }
        this.verifiedBytes = new long[files.size()];
    }

    /** Files were renamed: {@code layout} has their paths now (and every other fact as before). */
    synchronized void laidOut(InfoDictionary layout) {
        files = layout.contentFiles();
    }

    int count() {
        return files.size();
    }

    int pieceCount() {
        return info.pieceCount();
    }

    /** The pieces verified are now exactly {@code pieces}: after a check, or a recheck. */
    synchronized void reset(PieceSet pieces) {
        verified = pieces.copy();
        Arrays.fill(verifiedBytes, 0);
        for (int piece = verified.next(0); piece >= 0; piece = verified.next(piece + 1)) {
            count(piece, null);
        }
    }

    /** The verified pieces as a BEP 3 bitfield: piece 0 is the high bit of byte 0, spare bits are clear. */
    synchronized byte[] verifiedBitfield() {
        return verified.toBitfield();
    }

    synchronized int verifiedPieces() {
        return verified.count();
    }

    /**
     * Piece {@code piece} is verified and on disk.
     *
     * @return the indexes of the files it completed
     */
    synchronized List<Integer> pieceDone(int piece) {
        if (verified.has(piece)) {
            return List.of();
        }
        verified.add(piece);
        List<Integer> completed = new ArrayList<>();
        count(piece, completed);
        return completed;
    }

    /** Adds the piece's bytes to the files it overlaps; with {@code completed}, collects those now whole. */
    private void count(int piece, List<Integer> completed) {
        long start = (long) piece * info.pieceLength();
        long end = start + info.pieceSize(piece);
        for (int i = firstEndingAfter(start); i < files.size() && files.get(i).offset() < end; i++) {
            FileEntry file = files.get(i);
            verifiedBytes[i] += Math.max(0, Math.min(end, file.end()) - Math.max(start, file.offset()));
            if (completed != null && verifiedBytes[i] == file.length()) {
                completed.add(i);
            }
        }
    }

    /** The first file that ends after {@code position}. */
    private int firstEndingAfter(long position) {
        int low = 0;
        int high = ends.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ends[middle] > position) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    synchronized List<FileStatus> statuses() {
        List<FileStatus> statuses = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            statuses.add(new FileStatus(i, file.displayPath(), file.length(), verifiedBytes[i], priorities[i]));
        }
        return statuses;
    }

    /** Bytes of the files not skipped. */
    synchronized long wantedBytes() {
        long wanted = 0;
        for (int i = 0; i < files.size(); i++) {
            if (priorities[i] != FilePriority.SKIP) {
                wanted += files.get(i).length();
            }
        }
        return wanted;
    }

    /** Verified bytes of the files not skipped. */
    synchronized long verifiedWantedBytes() {
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            if (priorities[i] != FilePriority.SKIP) {
                bytes += verifiedBytes[i];
            }
        }
        return bytes;
    }

    synchronized FilePriority priority(int index) {
        return priorities[checkIndex(index)];
    }

    synchronized void setPriority(int index, FilePriority priority) {
        priorities[checkIndex(index)] = Objects.requireNonNull(priority, "priority");
    }

    synchronized List<FilePriority> priorities() {
        return List.of(priorities);
    }

    /**
     * The priorities as storage and the swarm take them: one for each entry of the info dictionary's file list,
     * pad files included (as normal: they are never written, whatever they say).
     */
    synchronized List<dev.jtorrent.storage.FilePriority> forStorage() {
        List<dev.jtorrent.storage.FilePriority> all = new ArrayList<>(info.files().size());
        int index = 0;
        for (FileEntry file : info.files()) {
            all.add(file.padding() ? dev.jtorrent.storage.FilePriority.NORMAL
                    : dev.jtorrent.storage.FilePriority.valueOf(priorities[index++].name()));
        }
        return all;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= files.size()) {
            throw new IndexOutOfBoundsException("file index " + index + " is not in 0.." + (files.size() - 1)
                    + " (the torrent has " + files.size() + " files)");
        }
        return index;
    }
}
