package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.ChannelOpener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a session keeps what it knows of each torrent between runs, named by its info hash in the resume directory:
 * its resume file ({@code <info hash>.resume}), the journal of a move of its files ({@code <info hash>.move}), its
 * dates, totals and edited trackers ({@code <info hash>.state}, a {@link TorrentRecord}) and,
 * for a torrent added by magnet link, the metadata fetched for it ({@code <info hash>.torrent}), so that the next
 * run need not fetch it again. A session without a resume directory keeps none of them, checks a torrent's data at
 * every start, and fetches a magnet link's metadata every time.
 *
 * @param directory the session's resume directory, if it has one
 * @param opener    how resume files are opened: the real disk, or a faulty one in tests
 */
record ResumeDirectory(Optional<Path> directory, ChannelOpener opener) {
    private static final System.Logger LOG = System.getLogger(ResumeDirectory.class.getName());

    Optional<ResumeFile> resumeFile(InfoHash infoHash) {
        return directory.map(dir -> new ResumeFile(dir.resolve(infoHash.hex() + ".resume"), opener));
    }

    Optional<Path> moveJournal(InfoHash infoHash) {
        return directory.map(dir -> dir.resolve(infoHash.hex() + ".move"));
    }

    Optional<Path> stateFile(InfoHash infoHash) {
        return directory.map(dir -> dir.resolve(infoHash.hex() + ".state"));
    }

    /** Keeps a torrent's record, written whole or not at all; nothing without a resume directory. */
    void saveRecord(TorrentRecord record) throws IOException {
        Optional<Path> file = stateFile(record.infoHash());
        if (file.isPresent()) {
            ResumeFile.writeAtomically(file.get(), file.get().resolveSibling(file.get().getFileName() + ".tmp"),
                    record.encode(), opener);
        }
    }

    /**
     * The record kept for {@code infoHash}, if any. One that cannot be read, is not valid or is of another torrent
     * is logged and ignored: the torrent starts a new one, as if first added.
     */
    Optional<TorrentRecord> savedRecord(InfoHash infoHash) {
        Optional<Path> file = stateFile(infoHash);
        if (file.isEmpty() || !Files.exists(file.get())) {
            return Optional.empty();
        }
        try {
            if (Files.size(file.get()) > TorrentRecord.MAX_SIZE) {
                throw new ResumeData.InvalidResumeDataException("more than " + TorrentRecord.MAX_SIZE + " bytes");
            }
            TorrentRecord record = TorrentRecord.parse(Files.readAllBytes(file.get()));
            if (record.infoHash().equals(infoHash)) {
                return Optional.of(record);
            }
            LOG.log(System.Logger.Level.WARNING, file.get() + " is of another torrent: not used");
        } catch (IOException | ResumeData.InvalidResumeDataException e) {
            LOG.log(System.Logger.Level.WARNING, file.get() + " is not usable (" + e.getMessage()
                    + "): the torrent's dates, totals and edited trackers start afresh");
        }
        return Optional.empty();
    }

    Optional<Path> metadataFile(InfoHash infoHash) {
        return directory.map(dir -> dir.resolve(infoHash.hex() + ".torrent"));
    }

    /** Keeps the metadata fetched for a torrent, as a .torrent file written whole or not at all. */
    void saveMetadata(Torrent torrent) throws IOException {
        Optional<Path> file = metadataFile(torrent.infoHash());
        if (file.isPresent()) {
            ResumeFile.writeAtomically(file.get(), file.get().resolveSibling(file.get().getFileName() + ".tmp"),
                    torrent.encode(), opener);
        }
    }

    /**
     * The metadata kept for {@code infoHash}, if any. A file that cannot be read, is not a valid torrent or is of
     * another info hash is of no use: it is logged and ignored, and the metadata is fetched again.
     */
    Optional<Torrent> savedMetadata(InfoHash infoHash) {
        Optional<Path> file = metadataFile(infoHash);
        if (file.isEmpty() || !Files.exists(file.get())) {
            return Optional.empty();
        }
        try {
            Torrent torrent = Torrent.load(file.get());
            if (torrent.infoHash().equals(infoHash)) {
                return Optional.of(torrent);
            }
            LOG.log(System.Logger.Level.WARNING, file.get() + " is of another torrent (" + torrent.infoHash().hex()
                    + "): its metadata is fetched again");
        } catch (IOException | InvalidTorrentException e) {
            LOG.log(System.Logger.Level.WARNING, file.get() + " is not usable (" + e.getMessage()
                    + "): its metadata is fetched again");
        }
        return Optional.empty();
    }

    /** Forgets what is kept of a torrent removed from its session (not its move journal: a move may be under way). */
    void forget(InfoHash infoHash) {
        resumeFile(infoHash).ifPresent(ResumeFile::delete);
        for (Optional<Path> kept : List.of(metadataFile(infoHash), stateFile(infoHash))) {
            kept.ifPresent(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete " + file + ": " + e.getMessage());
                }
            });
        }
    }
}
