package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.swarm.PieceSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A torrent's files as its handle shows them: each with its priority and how much of it is verified, kept up to date
 * piece by piece. Pad files (BEP 47) are left out, so a file's index is its place among the files people see, as
 * {@code jtorrent info} numbers them (from 1 there). Thread-safe.
 */
final class TorrentFiles {
    private final InfoDictionary info;
    private final List<FileEntry> files;
    private final FilePriority[] priorities;
    private PieceSet verified;

    TorrentFiles(InfoDictionary info, AddOptions options) {
        this.info = info;
        this.files = info.contentFiles();
        this.priorities = new FilePriority[files.size()];
        for (int i = 0; i < priorities.length; i++) {
            priorities[i] = options.priority(i);
        }
        this.verified = new PieceSet(info.pieceCount());
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
        long start = (long) piece * info.pieceLength();
        long end = start + info.pieceSize(piece);
        List<Integer> completed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            if (file.offset() < end && file.end() > start && verifiedBytes(file) == file.length()) {
                completed.add(i);
            }
        }
        return completed;
    }

    synchronized List<FileStatus> statuses() {
        List<FileStatus> statuses = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            statuses.add(new FileStatus(i, file.displayPath(), file.length(), verifiedBytes(file), priorities[i]));
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
                bytes += verifiedBytes(files.get(i));
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

    private long verifiedBytes(FileEntry file) {
        if (file.length() == 0) {
            return 0;
        }
        int first = (int) (file.offset() / info.pieceLength());
        int last = (int) ((file.end() - 1) / info.pieceLength());
        long bytes = 0;
        for (int piece = verified.next(first); piece >= 0 && piece <= last; piece = verified.next(piece + 1)) {
            long start = Math.max(file.offset(), (long) piece * info.pieceLength());
            long end = Math.min(file.end(), (long) piece * info.pieceLength() + info.pieceSize(piece));
            bytes += end - start;
        }
        return bytes;
    }
}
