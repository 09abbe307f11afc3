package dev.jtorrent.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts as people write them ("16KiB", "4 MiB", "1m", "65536") and as jtorrent prints them. */
final class DataSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private DataSize() {
    }

    /** Parses a size; K, M, G and T are binary multiples, with or without "iB". */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException("not a size: '" + text + "' (examples: 16KiB, 4MiB, 262144)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long value = Long.parseLong(m.group(1));
            if (value > (Long.MAX_VALUE >> shift)) {
                throw new UsageException("size too large: '" + text + "'");
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new UsageException("size too large: '" + text + "'");
        }
    }

    /**
     * A rate as {@code --upload-limit} and {@code --download-limit} take it: a size a second, at least 1 KiB.
     *
     * @throws UsageException naming the option
     */
    static long parseRate(String option, String text) {
        long bytes;
        try {
            bytes = parse(text);
        } catch (UsageException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
        if (bytes < 1024) {
            throw new UsageException(option + " must be at least 1KiB a second, not " + text);
        }
        return bytes;
    }

    /** "1.5 MiB", "512 B". */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s",
                value, UNITS[unit]);
    }
}
