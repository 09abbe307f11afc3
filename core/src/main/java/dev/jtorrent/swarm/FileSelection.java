package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceMap;

import java.util.List;

/**
 * A torrent's file priorities as the swarm holds them, handed on to its picker as the priority of each piece. They
 * change on the swarm's thread; {@link #checked} may be called from any.
 */
final class FileSelection {
    private final PieceMap map;
    private List<FilePriority> priorities;

    FileSelection(PieceMap map, List<FilePriority> priorities) {
        this.map = map;
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
}
