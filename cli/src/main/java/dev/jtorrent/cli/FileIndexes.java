package dev.jtorrent.cli;

import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File indexes as {@code --select-file} takes them, in aria2's syntax: a comma list of indexes and ranges, counted
 * from 1 as {@code jtorrent info} prints them ({@code 1,3-5}).
 */
final class FileIndexes {
    private static final Pattern ITEM = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");

    private FileIndexes() {
    }

    /**
     * The indexes {@code text} lists, counted from 1 (bit 1 is file 1).
     *
     * @throws UsageException for anything but indexes from 1 and ranges that run forwards, with the item at fault
     */
    static BitSet parse(String option, String text) {
        BitSet indexes = new BitSet();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item.strip());
            if (!m.matches()) {
                throw new UsageException(option + ": not a file index or range: '" + item + "' (example: 1,3-5)");
            }
            int first = Integer.parseInt(m.group(1));
            int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
            if (first == 0 || last == 0) {
                throw new UsageException(option + ": file indexes start at 1, as jtorrent info prints them, not 0");
            }
            if (last < first) {
                throw new UsageException(option + ": the range " + item.strip() + " runs backwards");
            }
            indexes.set(first, last + 1);
        }
        return indexes;
    }

    /** @throws UsageException if an index is past the last of {@code count} files */
    static void checkRange(String option, BitSet indexes, int count) {
        int past = indexes.nextSetBit(count + 1);
        if (past >= 0) {
            throw new UsageException(option + ": there is no file " + past + ": the torrent has " + count
                    + (count == 1 ? " file" : " files") + " (jtorrent info lists them)");
        }
    }
}
