package dev.jtorrent.cli;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.FilePriority;
import picocli.CommandLine.Option;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * {@code --select-file}, {@code --exclude} and {@code --sequential}: which of a torrent's files {@code download}
 * fetches, and in what order. A file is downloaded if it is selected (every file, without {@code --select-file}) and
 * no {@code --exclude} glob matches it; the others are skipped, and never created.
 */
final class FileSelectionOptions {
    @Option(names = "--select-file", paramLabel = "LIST",
            description = "Download only these files, numbered from 1 as 'jtorrent info' lists them: indexes and "
                    + "ranges, e.g. 1,3-5 (default: every file).")
    String select;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Skip the files whose path inside the torrent matches GLOB, e.g. '*.nfo' or 'Sample/*'; "
                    + "a GLOB without '/' matches file names in any folder. Repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--sequential",
            description = "Fetch pieces in order (rarest first within a window), to play a file while it downloads.")
    boolean sequential;

    private BitSet selected;
    private List<PathMatcher> excluded;

    /** Checks what can be checked without the torrent: the syntax of the indexes and of the globs. */
    void checkSyntax() {
        selected = select == null ? null : FileIndexes.parse("--select-file", select);
        excluded = new ArrayList<>();
        for (String glob : excludes) {
            try {
                excluded.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (PatternSyntaxException e) {
                // The JDK's description ("Missing '") is no help: say what a glob may hold instead.
                throw new UsageException("--exclude: not a glob: '" + glob + "' (examples: '*.nfo', 'Sample/*', "
                        + "'[ab]*.{mkv,mp4}')");
            }
        }
    }

    /** Whether any option narrows the download to some files. */
    boolean selectsFiles() {
        return select != null || !excludes.isEmpty();
    }

    /**
     * Adds to {@code options} a priority for each of {@code info}'s files (as {@code info} numbers them: pad files
     * left out), and whether to download in order.
     *
     * @throws UsageException if an index is past the last file, or nothing is left to download
     */
    AddOptions.Builder apply(InfoDictionary info, AddOptions.Builder options) {
        return options.filePriorities(priorities(info)).sequential(sequential);
    }

    /**
     * A priority for each of {@code info}'s files, as {@link #apply} gives them.
     *
     * @throws UsageException if an index is past the last file, or nothing is left to download
     */
    List<FilePriority> priorities(InfoDictionary info) {
        if (excluded == null) {
            checkSyntax();
        }
        List<FileEntry> files = info.contentFiles();
        if (selected != null) {
            FileIndexes.checkRange("--select-file", selected, files.size());
        }
        List<FilePriority> priorities = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            boolean wanted = (selected == null || selected.get(i + 1)) && !isExcluded(info, files.get(i));
            priorities.add(wanted ? FilePriority.NORMAL : FilePriority.SKIP);
        }
        if (!priorities.contains(FilePriority.NORMAL)) {
            throw new UsageException((select == null ? "--exclude" : excludes.isEmpty() ? "--select-file"
                    : "--select-file and --exclude") + " leave no file to download");
        }
        return priorities;
    }

    /**
     * Whether an {@code --exclude} glob matches the file's path inside the torrent (without the torrent's own name,
     * which a multi-file torrent puts first); a glob without '/' matches the file's name, in whatever folder, as a
     * {@code .gitignore} line does.
     */
    private boolean isExcluded(InfoDictionary info, FileEntry file) {
        if (excluded.isEmpty()) {
            return false;
        }
        List<String> inside = info.multiFile() && file.path().size() > 1
                ? file.path().subList(1, file.path().size()) : file.path();
        Path path;
        Path name;
        try {
            path = Path.of(inside.getFirst(), inside.subList(1, inside.size()).toArray(String[]::new));
            name = Path.of(inside.getLast());
        } catch (InvalidPathException e) {
            return false; // a name this system cannot hold is sanitised away before any file is written
        }
        for (int i = 0; i < excluded.size(); i++) {
            boolean byName = !excludes.get(i).contains("/");
            if (excluded.get(i).matches(byName ? name : path)) {
                return true;
            }
        }
        return false;
    }
}
