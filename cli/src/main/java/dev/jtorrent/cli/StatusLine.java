package dev.jtorrent.cli;

import dev.jtorrent.swarm.SwarmStats;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress of a transfer as people see it: on a terminal, one line redrawn in place (bar, percent, rates,
 * peers, ETA); elsewhere, a plain line every few seconds so that logs stay readable.
 */
final class StatusLine {
    private static final int WIDTH = 24;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final boolean quiet;
    private long lastPlain;
    private boolean drawn;

    StatusLine(PrintWriter out, boolean interactive, boolean quiet) {
        this.out = out;
        this.interactive = interactive;
        this.quiet = quiet;
    }

    /** Shows the current state; call a few times a second. */
    void update(String label, SwarmStats stats, long totalBytes) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (!interactive && drawn && now - lastPlain < PLAIN_INTERVAL_NANOS) {
            return;
        }
        lastPlain = now;
        String line = format(label, stats, totalBytes);
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
        drawn = true;
    }

    /** Ends the in-place line so that what follows starts on a new one. */
    void finish() {
        if (interactive && drawn && !quiet) {
            out.println();
            out.flush();
        }
    }

    static String format(String label, SwarmStats stats, long totalBytes) {
        if (stats.complete()) {
            return String.format(Locale.ROOT, "%s  up %s/s  uploaded %s (ratio %.2f)  peers %d/%d", label,
                    DataSize.format((long) stats.upRate()), DataSize.format(stats.uploaded()),
                    totalBytes == 0 ? 0.0 : (double) stats.uploaded() / totalBytes, stats.peers(), stats.knownPeers());
        }
        long done = Math.max(0, totalBytes - stats.bytesLeft());
        double fraction = totalBytes == 0 ? 1 : (double) done / totalBytes;
        int filled = (int) Math.round(fraction * WIDTH);
        double eta = stats.downRate() > 0 ? stats.bytesLeft() / stats.downRate() : Double.NaN;
        String line = String.format(Locale.ROOT, "%s [%s%s] %5.1f%%  down %s/s  up %s/s  peers %d/%d  ETA %s",
                stats.paused() != null ? "Paused" : label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                fraction * 100, DataSize.format((long) stats.downRate()), DataSize.format((long) stats.upRate()),
                stats.peers(), stats.knownPeers(), stats.paused() != null ? "--" : DurationText.clock(eta));
        return stats.paused() != null ? line + "  (" + stats.paused() + ")" : line;
    }
}
