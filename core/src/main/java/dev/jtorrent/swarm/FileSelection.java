package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.FileSpan;
import dev.jtorrent.storage.PieceMap;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A torrent's file priorities as the swarm holds them, and how much of each file is ours: the bytes of the pieces
 * verified (and forced) that fall in it. Priorities change on the swarm thread; the progress may be read from any.
 */
final class FileSelection {
    private final PieceMap map;
    private final AtomicLongArray verified;
    private List<FilePriority> priorities;

    FileSelection(PieceMap map, List<FilePriority> priorities) {
        this.map = map;
        this.verified = new AtomicLongArray(map.files().size());
        this.priorities = checked(priorities);
    }

    /** @throws IllegalArgumentException unless there is one priority for each of the torrent's files */
    List<FilePriority> checked(List<FilePriority> next) {
        FilePriority.checkCount(map, next);
        return List.copyOf(next);
    }

    List<FilePriority> priorities() {
        return priorities;
    }

    /** New priorities, handed on to the picker as the priority of each piece. */
    void set(List<FilePriority> next, PiecePicker picker) {
        priorities = checked(next);
        picker.setPriorities(FilePriority.ofPieces(map, priorities));
    }

    /** A piece became ours: its bytes count towards each file it carries. */
    void pieceVerified(int piece) {
        for (FileSpan span : map.spans(piece)) {
            if (!span.padding()) {
                verified.addAndGet(span.fileIndex(), span.length());
            }
        }
    }

    /** Bytes of each file that are ours, in the torrent's order of files (pad files included, at 0). */
    long[] verifiedBytes() {
        long[] bytes = new long[verified.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = verified.get(i);
        }
        return bytes;
    }
}
