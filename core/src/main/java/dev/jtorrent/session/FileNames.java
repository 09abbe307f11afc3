package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.PathSanitizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a torrent's files are under its directory, once some were renamed ({@link TorrentHandle#renamePath}): the
 * torrent's info dictionary with each renamed file's path in place of its own (its {@link #layout()}, what storage
 * is opened with), and the renamed paths alone, for the torrent's record. Paths are lists of plain names, the
 * torrent's name (its top folder, or its one file) first, as {@link FileEntry#path()} has them. Thread-safe.
 */
final class FileNames {
    private final InfoDictionary info;
    /** The renamed files' paths, by index in the info dictionary's file list (pad files included). */
    private final SortedMap<Integer, List<String>> renamed = new TreeMap<>(); // guarded by this
    private InfoDictionary layout; // guarded by this

    /**
     * @param renamed paths kept from an earlier run; those that do not fit the torrent (an index out of range, a path
     *                element that is not a plain name) are ignored
     */
    FileNames(InfoDictionary info, Map<Integer, List<String>> renamed) {
        this.info = info;
        renamed.forEach((index, path) -> {
            if (index >= 0 && index < info.files().size() && path.stream().allMatch(FileNames::plain)
                    && !path.isEmpty()) {
                this.renamed.put(index, List.copyOf(path));
            }
        });
        this.layout = layOut();
    }

    /** The info dictionary with the files' present paths: what storage is opened with. */
    synchronized InfoDictionary layout() {
        return layout;
    }

    /** The paths renamed, by file index (pad files included). */
    synchronized SortedMap<Integer, List<String>> renamed() {
        return new TreeMap<>(renamed);
    }

    /**
     * A rename of the file or folder at {@code path} ({@code /} between names, the torrent's name first, as {@link
     * FileStatus#path()}) to {@code newName}.
     *
     * @param target the new path of the file or folder renamed
     * @param from   each file renamed, by index, with its path now
     * @param to     the same files with their new paths
     */
    record Plan(List<String> target, SortedMap<Integer, List<String>> from, SortedMap<Integer, List<String>> to) {
        boolean isEmpty() {
            return from.equals(to);
        }
    }

    /**
     * What renaming {@code path} to {@code newName} would do.
     *
     * @throws IllegalArgumentException if {@code newName} is not one plain file name on this machine, {@code path}
     *                                  is neither a file nor a folder of the torrent, or another of its files is at
     *                                  the new path already or inside it
     */
    synchronized Plan plan(String path, String newName) {
        String name = checkName(newName);
        List<String> from = Arrays.stream(path.split("/", -1)).filter(element -> !element.isEmpty()).toList();
        if (from.isEmpty() || !from.stream().allMatch(FileNames::plain)) {
            throw new IllegalArgumentException("not a path of the torrent: \"" + path + "\"");
        }
        List<String> to = new ArrayList<>(from);
        to.set(to.size() - 1, name);
        SortedMap<Integer, List<String>> before = new TreeMap<>();
        SortedMap<Integer, List<String>> after = new TreeMap<>();
        List<FileEntry> files = layout.files();
        for (int i = 0; i < files.size(); i++) {
            List<String> now = files.get(i).path();
            if (startsWith(now, from)) {
                before.put(i, now);
                List<String> moved = new ArrayList<>(to);
                moved.addAll(now.subList(from.size(), now.size()));
                after.put(i, List.copyOf(moved));
            }
        }
        if (before.isEmpty()) {
            throw new IllegalArgumentException("no file or folder of the torrent is at " + String.join("/", from));
        }
        if (!from.equals(to)) {
            for (int i = 0; i < files.size(); i++) {
                List<String> other = files.get(i).path();
                if (!before.containsKey(i) && (startsWith(other, to) || startsWith(to, other))) {
                    throw new IllegalArgumentException("the torrent's file " + String.join("/", other)
                            + " is in the way of " + String.join("/", to));
                }
            }
        }
        return new Plan(List.copyOf(to), before, after);
    }

    /** A plan is done (or about to be, journalled): the files have their new paths from now on. */
    synchronized void apply(Plan plan) {
        plan.to().forEach((index, path) -> {
            if (path.equals(info.files().get(index).path())) {
                renamed.remove(index);
            } else {
                renamed.put(index, path);
            }
        });
        layout = layOut();
    }

    /**
     * {@code newName} if it is one plain file name that this machine's file systems take as it is: not empty, not
     * {@code .} or {@code ..}, no separator, and unchanged by the sanitiser that torrents' paths go through (no
     * control or format characters, nothing Windows reserves there).
     *
     * @throws IllegalArgumentException saying why not, in one line
     */
    static String checkName(String newName) {
        if (newName == null || newName.isEmpty()) {
            throw new IllegalArgumentException("an empty file name");
        }
        if (newName.equals(".") || newName.equals("..") || newName.indexOf('/') >= 0 || newName.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("not a single file name: \"" + printable(newName) + "\"");
        }
        Optional<String> sanitized = PathSanitizer.forThisPlatform()
                .element(newName.getBytes(StandardCharsets.UTF_8), false);
        if (sanitized.isEmpty() || !sanitized.get().equals(newName)) {
            throw new IllegalArgumentException("not a valid file name here: \"" + printable(newName) + "\""
                    + sanitized.map(s -> " (it would be \"" + s + "\")").orElse(""));
        }
        return newName;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    /** A path element storage can use: the sanitiser's output never fails this. */
    private static boolean plain(String element) {
        return !element.isEmpty() && !element.equals(".") && !element.equals("..") && element.indexOf('/') < 0
                && element.indexOf('\\') < 0 && element.indexOf('\0') < 0;
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    private InfoDictionary layOut() {
        if (renamed.isEmpty()) {
            return info;
        }
        List<FileEntry> files = new ArrayList<>(info.files());
        renamed.forEach((index, path) -> {
            FileEntry file = files.get(index);
            files.set(index, new FileEntry(path, file.length(), file.offset(), file.padding(), file.executable(),
                    file.hidden(), file.symlinkTarget()));
        });
        return new InfoDictionary(info.name(), info.pieceLength(), info.pieceHashes(), info.multiFile(), files,
                info.isPrivate(), info.source(), info.hybrid());
    }
}
