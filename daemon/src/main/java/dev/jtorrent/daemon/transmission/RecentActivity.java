package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.session.SessionEvent;
import dev.jtorrent.session.SessionListener;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which torrents torrent-get's {@code ids: "recently-active"} names: those running, and those that changed in the
 * last {@link #WINDOW} (added, a state change, their metadata, a change through the RPC). The web client polls with
 * it every few seconds, so a daemon of thousands of idle torrents answers with the few that move.
 *
 * <p>Changes come from the session's events. If the session dropped some (a subscriber too slow), every torrent
 * counts as changed for a window, so that no change is missed.
 */
final class RecentActivity implements SessionListener {
    /** Transmission's window for "recently active". */
    static final Duration WINDOW = Duration.ofSeconds(60);
    /** Past this many remembered changes, those older than the window are forgotten at the next change. */
    static final int PRUNE_AT = 4096;

    private final Clock clock;
    private final Map<InfoHash, Instant> changed = new ConcurrentHashMap<>();
    private volatile Instant everythingUntil = Instant.MIN;

    RecentActivity(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void onEvent(SessionEvent event) {
        switch (event) {
            case SessionEvent.TorrentAdded added -> touch(added.torrent().infoHash());
            case SessionEvent.StateChanged state -> touch(state.torrent().infoHash());
            case SessionEvent.MetadataReceived metadata -> touch(metadata.torrent().infoHash());
            case SessionEvent.FileCompleted file -> touch(file.torrent().infoHash());
            case SessionEvent.EventsLost lost -> everythingUntil = clock.instant().plus(WINDOW);
            default -> {
            }
        }
    }

    /** A torrent changed now (through the RPC, or by the session). */
    void touch(InfoHash infoHash) {
        Instant now = clock.instant();
        changed.put(infoHash, now);
        if (changed.size() > PRUNE_AT) {
            Instant oldest = now.minus(WINDOW);
            changed.values().removeIf(at -> at.isBefore(oldest));
        }
    }

    boolean recentlyActive(DaemonTorrent torrent, TorrentStatus status) {
        if (!(status.state() instanceof TorrentState.Paused)) {
            return true;
        }
        Instant now = clock.instant();
        if (now.isBefore(everythingUntil)) {
            return true;
        }
        Instant at = changed.get(torrent.infoHash());
        return at != null && !at.isBefore(now.minus(WINDOW));
    }
}
