package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;

import java.util.Objects;

/**
 * Something that happened in a {@link Session}, told to its subscribers ({@link Session#subscribe}). Events of one
 * torrent arrive in the order they happened.
 */
public sealed interface SessionEvent {

    /** A torrent was added. */
    record TorrentAdded(TorrentHandle torrent) implements SessionEvent {
        public TorrentAdded {
            Objects.requireNonNull(torrent, "torrent");
        }
    }

    /** A torrent was removed; its handle no longer works. */
    record TorrentRemoved(InfoHash infoHash, String name) implements SessionEvent {
        public TorrentRemoved {
            Objects.requireNonNull(infoHash, "infoHash");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A torrent went from one state to another. */
    record StateChanged(TorrentHandle torrent, TorrentState from, TorrentState to) implements SessionEvent {
        public StateChanged {
            Objects.requireNonNull(torrent, "torrent");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** Every piece of a wanted file is verified on disk. */
    record FileCompleted(TorrentHandle torrent, int fileIndex) implements SessionEvent {
        public FileCompleted {
            Objects.requireNonNull(torrent, "torrent");
        }
    }

    /**
     * A piece was verified and is on disk. Told only to subscribers that ask for it ({@link
     * SessionListener#wantsPieceEvents()}), since a large download finishes thousands.
     */
    record PieceFinished(TorrentHandle torrent, int piece) implements SessionEvent {
        public PieceFinished {
            Objects.requireNonNull(torrent, "torrent");
        }
    }

    /** The metadata of a torrent added from a magnet link or an info hash arrived. */
    record MetadataReceived(TorrentHandle torrent) implements SessionEvent {
        public MetadataReceived {
            Objects.requireNonNull(torrent, "torrent");
        }
    }

    /** An announce to one of a torrent's trackers failed. */
    record TrackerFailed(TorrentHandle torrent, String url, String message) implements SessionEvent {
        public TrackerFailed {
            Objects.requireNonNull(torrent, "torrent");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Reading or writing a torrent's data failed. */
    record StorageFailed(TorrentHandle torrent, String message) implements SessionEvent {
        public StorageFailed {
            Objects.requireNonNull(torrent, "torrent");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A seeding torrent reached its share ratio limit or its idle limit ({@link TorrentHandle#seedLimits()}) and was
     * paused, as Transmission stops it and qBittorrent pauses it by default. Resuming it past its ratio limit turns
     * its ratio limit off ({@link SeedLimits.Mode#UNLIMITED}), as Transmission does, so that it is not paused again
     * at once.
     *
     * @param limit which limit it reached
     * @param value the limit's value: the ratio, or the idle time in seconds
     */
    record SeedLimitReached(TorrentHandle torrent, Limit limit, double value) implements SessionEvent {
        /** Which limit a seed reached. */
        public enum Limit {
            /** Its share ratio reached the ratio limit. */
            RATIO,
            /** It uploaded nothing for the idle limit's time. */
            IDLE
        }

        public SeedLimitReached {
            Objects.requireNonNull(torrent, "torrent");
            Objects.requireNonNull(limit, "limit");
        }
    }

    /**
     * The subscriber fell behind and {@code count} events meant for it were dropped, just before this one: its
     * queue holds {@link Session#EVENT_QUEUE_LIMIT} events at most. Its view of the torrents' states may be stale;
     * {@link Session#torrents()} and {@link TorrentHandle#status()} give the present.
     */
    record EventsLost(long count) implements SessionEvent {
    }
}
