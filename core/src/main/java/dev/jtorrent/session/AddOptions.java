package dev.jtorrent.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How {@link Session#add} adds a torrent; immutable, made by {@link #builder()}. {@link #defaults()} downloads into
 * the session's download directory, starts at once, wants every file at normal priority, and checks the data
 * already there.
 *
 * <pre>{@code
 * AddOptions options = AddOptions.builder()
 *         .downloadDirectory(Path.of("/srv/media"))
 *         .filePriorities(List.of(FilePriority.HIGH, FilePriority.SKIP))
 *         .sequential(true)
 *         .build();
 * }</pre>
 *
 * @param downloadDirectory where the torrent's files go; empty for the session's {@link
 *                          SessionConfig#downloadDirectory()}
 * @param paused            add it paused: nothing is checked, connected or announced until {@link
 *                          TorrentHandle#resume()}
 * @param filePriorities    the first files' priorities, in the torrent's order; files past the list's end are
 *                          {@link FilePriority#NORMAL}. Ignored for a torrent without metadata until it arrives.
 * @param sequential        pick pieces in order (within a window, rarest first inside it), for playing while
 *                          downloading
 * @param uploadLimit       payload bytes a second this torrent sends at most; 0 for no limit
 * @param downloadLimit     payload bytes a second this torrent receives at most; 0 for no limit
 * @param trustData         take the data in the directory as complete without checking it (each piece is still
 *                          hashed before it is first sent, and a corrupt one is never sent); for seeding data known
 *                          to be good, such as what was just used to make the torrent. With a {@code storage}, the
 *                          pieces the store says it has are taken so at the add.
 * @param storage           where the torrent's pieces are kept, when the embedding program keeps them itself (see
 *                          {@link PieceStore} for what changes then); empty for files in the download directory
 * @param stopAfterMetadata for a torrent added by magnet link or info hash: pause it once its metadata is known
 *                          (fetched, or kept from an earlier run by the resume directory), before anything is
 *                          checked or downloaded, so that its files can be chosen ({@link
 *                          TorrentHandle#metadata()}, {@link TorrentHandle#setFilePriority}) before {@link
 *                          TorrentHandle#resume()}; qBittorrent's "stop condition: metadata received". No effect on
 *                          a torrent added with its metadata.
 * @param queuePosition     where it joins the session's queue ({@link TorrentHandle#queuePosition()}): at this
 *                          position, those from there on moving down one, or at the end if it is past the end;
 *                          empty (the default) for the end. To restore a queue saved from {@code queuePosition()},
 *                          add the torrents in the order of their saved positions.
 * @param forceStart        start it without waiting for room in the session's queue, as {@link
 *                          TorrentHandle#setForceStart} does
 * @param seedLimits        when it stops seeding; default {@link SeedLimits#SESSION}, the session's limits
 */
public record AddOptions(Optional<Path> downloadDirectory, boolean paused, List<FilePriority> filePriorities,
                         boolean sequential, long uploadLimit, long downloadLimit, boolean trustData,
                         Optional<PieceStore.Factory> storage, boolean stopAfterMetadata, OptionalInt queuePosition,
                         boolean forceStart, SeedLimits seedLimits) {
    private static final AddOptions DEFAULTS = builder().build();

    /**
     * @throws NullPointerException     if any argument is null, or a priority in the list is
     * @throws IllegalArgumentException if a limit or the queue position is negative
     */
    public AddOptions {
        Objects.requireNonNull(downloadDirectory, "downloadDirectory");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(queuePosition, "queuePosition");
        Objects.requireNonNull(seedLimits, "seedLimits");
        if (queuePosition.isPresent() && queuePosition.getAsInt() < 0) {
            throw new IllegalArgumentException("a queue position must not be negative: " + queuePosition.getAsInt());
        }
        filePriorities = List.copyOf(filePriorities);
        if (uploadLimit < 0 || downloadLimit < 0) {
            throw new IllegalArgumentException("rate limits must not be negative: upload " + uploadLimit
                    + ", download " + downloadLimit);
        }
    }

    /** The defaults: see the class comment. */
    public static AddOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The priority asked for file {@code index}. */
    FilePriority priority(int index) {
        return index < filePriorities.size() ? filePriorities.get(index) : FilePriority.NORMAL;
    }

    /** These options with {@code priorities} as the files' priorities. */
    AddOptions withFilePriorities(List<FilePriority> priorities) {
        return new AddOptions(downloadDirectory, paused, priorities, sequential, uploadLimit, downloadLimit, trustData,
                storage, stopAfterMetadata, queuePosition, forceStart, seedLimits);
    }

    /** These options, paused or not. */
    AddOptions withPaused(boolean value) {
        return new AddOptions(downloadDirectory, value, filePriorities, sequential, uploadLimit, downloadLimit,
                trustData, storage, stopAfterMetadata, queuePosition, forceStart, seedLimits);
    }

    /** Makes {@link AddOptions}; not thread-safe. */
    public static final class Builder {
        private Optional<Path> downloadDirectory = Optional.empty();
        private boolean paused;
        private List<FilePriority> filePriorities = List.of();
        private boolean sequential;
        private long uploadLimit;
        private long downloadLimit;
        private boolean trustData;
        private Optional<PieceStore.Factory> storage = Optional.empty();
        private boolean stopAfterMetadata;
        private OptionalInt queuePosition = OptionalInt.empty();
        private boolean forceStart;
        private SeedLimits seedLimits = SeedLimits.SESSION;

        private Builder() {
        }

        public Builder downloadDirectory(Path directory) {
            this.downloadDirectory = Optional.of(Objects.requireNonNull(directory, "directory"));
            return this;
        }

        public Builder paused(boolean value) {
            this.paused = value;
            return this;
        }

        public Builder filePriorities(List<FilePriority> priorities) {
            this.filePriorities = List.copyOf(priorities);
            return this;
        }

        public Builder sequential(boolean value) {
            this.sequential = value;
            return this;
        }

        /** @throws IllegalArgumentException if {@code bytesPerSecond} is negative */
        public Builder uploadLimit(long bytesPerSecond) {
            this.uploadLimit = requireRate(bytesPerSecond, "uploadLimit");
            return this;
        }

        /** @throws IllegalArgumentException if {@code bytesPerSecond} is negative */
        public Builder downloadLimit(long bytesPerSecond) {
            this.downloadLimit = requireRate(bytesPerSecond, "downloadLimit");
            return this;
        }

        public Builder trustData(boolean value) {
            this.trustData = value;
            return this;
        }

        /**
         * Keeps the torrent's pieces in stores that {@code factory} opens, instead of files in the download
         * directory: see {@link PieceStore}.
         */
        public Builder storage(PieceStore.Factory factory) {
            this.storage = Optional.of(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Pause a torrent added without metadata once its metadata is in: see {@link AddOptions}. */
        public Builder stopAfterMetadata(boolean value) {
            this.stopAfterMetadata = value;
            return this;
        }

        /**
         * Joins the session's queue at {@code position}: see {@link AddOptions#queuePosition()}.
         *
         * @throws IllegalArgumentException if {@code position} is negative
         */
        public Builder queuePosition(int position) {
            if (position < 0) {
                throw new IllegalArgumentException("a queue position must not be negative: " + position);
            }
            this.queuePosition = OptionalInt.of(position);
            return this;
        }

        /** Starts without waiting for room in the session's queue: see {@link TorrentHandle#setForceStart}. */
        public Builder forceStart(boolean value) {
            this.forceStart = value;
            return this;
        }

        /** When it stops seeding: see {@link SeedLimits}. */
        public Builder seedLimits(SeedLimits limits) {
            this.seedLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public AddOptions build() {
            return new AddOptions(downloadDirectory, paused, filePriorities, sequential, uploadLimit, downloadLimit,
                    trustData, storage, stopAfterMetadata, queuePosition, forceStart, seedLimits);
        }
    }

    static long requireRate(long bytesPerSecond, String name) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException(name + " must not be negative (0 for no limit): " + bytesPerSecond);
        }
        return bytesPerSecond;
    }
}
