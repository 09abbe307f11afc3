package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.ChannelOpener;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.StorageMove;
import dev.jtorrent.swarm.PieceSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Moves the files of a session's stopped torrents to another directory, journalled in the resume directory when
 * there is one (see {@link StorageMove}), and at a torrent's next start finishes a move that a crash cut short, so
 * that the torrent starts where its files were going.
 */
final class StorageMoves {
    private static final System.Logger LOG = System.getLogger(StorageMoves.class.getName());
    private final ResumeDirectory resume;
    /** How torrent data is opened: the real disk, or a faulty one in tests. */
    private final ChannelOpener opener;

    StorageMoves(ResumeDirectory resume, ChannelOpener opener) {
        this.resume = resume;
        this.opener = opener;
    }

    /**
     * Moves a stopped torrent's files from {@code from} to {@code to}, and forgets its resume file, which names the
     * old directory.
     *
     * @param layout where its files are under a directory: its info dictionary, with the paths of renamed files
     * @param memory what the torrent had at {@code from}, if known
     * @return the same for {@code to}, to start from there without a check
     */
    Optional<ResumeData> move(Torrent torrent, InfoDictionary layout, Path from, Path to,
                              Optional<ResumeData> memory) throws IOException {
        Files.createDirectories(to);
        try (FileStorage source = FileStorage.open(from, layout, torrent.infoHash(), opener);
             FileStorage target = FileStorage.open(to, layout, torrent.infoHash(), opener)) {
            StorageMove.move(source, target, resume.moveJournal(torrent.infoHash()));
            resume.resumeFile(torrent.infoHash()).ifPresent(ResumeFile::delete);
            if (memory.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(ResumeData.of(torrent.infoHash(), target.root().toString(),
                    PieceSet.fromBitfield(memory.get().bitfield(), torrent.info().pieceCount()),
                    target.fileStates()));
        }
    }

    /** A move of this torrent's files that a crash cut short is finished before it starts, where it was going. */
    void finishUnfinished(TorrentHandle handle, Torrent torrent) throws IOException {
        Optional<Path> journal = resume.moveJournal(torrent.infoHash());
        if (journal.isEmpty()) {
            return;
        }
        Optional<StorageMove.Journal> unfinished = StorageMove.unfinished(journal.get());
        if (unfinished.isEmpty()) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: finishing the move of its files from {1} to {2}", torrent.name(),
                unfinished.get().from(), unfinished.get().to());
        try (FileStorage source = FileStorage.open(unfinished.get().from(), handle.layout(), torrent.infoHash(),
                opener);
             FileStorage target = FileStorage.open(unfinished.get().to(), handle.layout(), torrent.infoHash(),
                     opener)) {
            StorageMove.resume(source, target, journal.get());
        }
        handle.lifecycle().moved(unfinished.get().to());
    }
}
