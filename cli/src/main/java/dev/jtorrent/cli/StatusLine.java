package dev.jtorrent.cli;

import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;

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
    void update(String label, TorrentStatus status) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (!interactive && drawn && now - lastPlain < PLAIN_INTERVAL_NANOS) {
            return;
        }
        lastPlain = now;
        String line = format(label, status);
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

    static String format(String label, TorrentStatus status) {
        if (status.state() instanceof TorrentState.WaitingForMetadata) {
            return String.format(Locale.ROOT, "%s  fetching the torrent's metadata from peers  peers %d/%d", label,
                    status.peers(), status.knownPeers());
        }
        if (status.state() instanceof TorrentState.Seeding) {
            return String.format(Locale.ROOT, "%s  up %s/s  uploaded %s (ratio %.2f)  peers %d/%d", label,
                    DataSize.format((long) status.uploadRate()), DataSize.format(status.uploaded()),
                    status.wantedBytes() == 0 ? 0.0 : (double) status.uploaded() / status.wantedBytes(),
                    status.peers(), status.knownPeers());
        }
        String held = status.state() instanceof TorrentState.Failed failed && failed.retrying() ? failed.message()
                : null;
        double fraction = status.progress();
        int filled = (int) Math.round(fraction * WIDTH);
        double eta = status.downloadRate() > 0 ? status.bytesLeft() / status.downloadRate() : Double.NaN;
        String line = String.format(Locale.ROOT, "%s [%s%s] %5.1f%%  down %s/s  up %s/s  peers %d/%d  ETA %s",
                held != null ? "Paused" : label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                fraction * 100, DataSize.format((long) status.downloadRate()),
                DataSize.format((long) status.uploadRate()), status.peers(), status.knownPeers(),
                held != null ? "--" : DurationText.clock(eta));
        return held != null ? line + "  (" + held + ")" : line;
    }
}
