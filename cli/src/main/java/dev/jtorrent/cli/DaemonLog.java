package dev.jtorrent.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The log of {@code jtorrent daemon}: one stream on stderr (the journal under systemd, the log file in the
 * background), with a time on each line. The library and the daemon log through {@link System.Logger}, and Jetty
 * through SLF4J, whose provider (slf4j-jdk14) hands its records to java.util.logging too, so all of them end here
 * in one format. INFO shows what a person running a daemon wants to see (torrents added, the password made,
 * errors); Jetty's own INFO lines (its version, each start) are left out, its warnings kept.
 */
final class DaemonLog {
    /** Held, so that the level set on it is not lost when the logger is collected. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");
    private static final Logger JTORRENT = Logger.getLogger("dev.jtorrent");
    /**
     * Warns at every start that its queue is bounded, which the daemon wants ({@code HttpFront.MAX_QUEUED}: refuse
     * work rather than queue it without bound; the connection limit keeps the queue far from full in practice).
     */
    private static final Logger THREAD_POOL = Logger.getLogger("org.eclipse.jetty.util.thread.QueuedThreadPool");

    private DaemonLog() {
    }

    static void configure(boolean verbose) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler handler = new ConsoleHandler();
        Level level = verbose ? Level.FINE : Level.INFO;
        handler.setLevel(level);
        handler.setFormatter(new SimpleFormatter());
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        // --verbose's DebugLog gave the library a handler of its own; the reset closed it: back to the root's.
        JTORRENT.setUseParentHandlers(true);
        JTORRENT.setLevel(level);
        JETTY.setLevel(Level.WARNING);
        THREAD_POOL.setLevel(Level.SEVERE);
    }
}
