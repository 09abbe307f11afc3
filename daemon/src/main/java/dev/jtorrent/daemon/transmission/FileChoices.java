package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.FilePriority;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a torrent-add or torrent-set says of files: {@code files-wanted}, {@code files-unwanted} and
 * {@code priority-high/-normal/-low}, as lists of indices, where an empty list means every file (the spec's
 * shorthand). Checked whole before anything is applied, so a bad index changes nothing.
 */
final class FileChoices {
    static final String OUT_OF_RANGE = "file index out of range";

    private final Optional<List<Long>> wanted;
    private final Optional<List<Long>> unwanted;
    private final Optional<List<Long>> high;
    private final Optional<List<Long>> normal;
    private final Optional<List<Long>> low;

    FileChoices(Arguments args) {
        wanted = args.integers("files-wanted");
        unwanted = args.integers("files-unwanted");
        high = args.integers("priority-high");
        normal = args.integers("priority-normal");
        low = args.integers("priority-low");
    }

    boolean any() {
        return wanted.isPresent() || unwanted.isPresent() || high.isPresent() || normal.isPresent()
                || low.isPresent();
    }

    /** @throws RpcException if an index is not one of {@code fileCount} files */
    void check(int fileCount) throws RpcException {
        for (Optional<List<Long>> list : List.of(wanted, unwanted, high, normal, low)) {
            if (list.isPresent()) {
                for (long index : list.get()) {
                    if (index < 0 || index >= fileCount) {
                        throw new RpcException(OUT_OF_RANGE);
                    }
                }
            }
        }
    }

    /**
     * The priorities after the choices, from {@code current}: unwanted files are skipped, wanted ones that were
     * skipped come back at normal, and a priority applies to the files left wanted (jtorrent keeps no priority for a
     * skipped file: it gets normal back).
     */
    FilePriority[] apply(FilePriority[] current) {
        FilePriority[] next = Arrays.copyOf(current, current.length);
        set(next, unwanted, p -> FilePriority.SKIP);
        set(next, wanted, p -> p == FilePriority.SKIP ? FilePriority.NORMAL : p);
        set(next, high, p -> p == FilePriority.SKIP ? p : FilePriority.HIGH);
        set(next, normal, p -> p == FilePriority.SKIP ? p : FilePriority.NORMAL);
        set(next, low, p -> p == FilePriority.SKIP ? p : FilePriority.LOW);
        return next;
    }

    private static void set(FilePriority[] priorities, Optional<List<Long>> indices,
                            java.util.function.UnaryOperator<FilePriority> change) {
        if (indices.isEmpty()) {
            return;
        }
        if (indices.get().isEmpty()) {
            for (int i = 0; i < priorities.length; i++) {
                priorities[i] = change.apply(priorities[i]);
            }
            return;
        }
        for (long index : indices.get()) {
            priorities[(int) index] = change.apply(priorities[(int) index]);
        }
    }
}
