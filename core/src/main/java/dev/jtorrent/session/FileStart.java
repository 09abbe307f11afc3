package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.PieceChecker;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.StorageException;
import dev.jtorrent.swarm.PieceSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * What a torrent kept in files starts from, as {@link StoreStart} is for one in an embedder's store: the pieces it
 * takes as its own without reading them (all of them on trust; else those that what it had when paused, or its
 * resume file, vouch for and whose files did not change), and those of the others on disk that pass their check in
 * the session's {@link CheckQueue}. Any problem with resume data only means checking more.
 *
 * @param verified  the pieces that are the torrent's at the start
 * @param unchecked those of them taken on trust, to be hashed before they are first sent
 * @param note      what resume data did for the start, for people (see {@link TorrentHandle#startNote()})
 */
record FileStart(PieceSet verified, PieceSet unchecked, Optional<String> note) {
    private static final System.Logger LOG = System.getLogger(FileStart.class.getName());

    /**
     * Learns which pieces are on disk, checking those that need it.
     *
     * @param resume    the torrent's resume file, if the session keeps them
     * @param memory    what it had when it was paused, used as resume data is; null to use the resume file
     * @param trust     take every piece as present without a check, as {@link AddOptions#trustData()} asks
     * @param fullCheck check every piece, whatever resume data says
     * @throws InterruptedException if the torrent was paused or removed while it waited for its check or checked
     */
    static FileStart of(FileStorage storage, Torrent torrent, Optional<ResumeFile> resume, ResumeData memory,
                        boolean trust, boolean fullCheck, CheckQueue checks, TorrentHandle handle)
            throws IOException, InterruptedException {
        int pieceCount = torrent.info().pieceCount();
        FileStart start;
        if (trust) {
            PieceSet all = PieceSet.all(pieceCount);
            start = new FileStart(all, all.copy(), Optional.empty());
        } else {
            PieceMap map = PieceMap.of(torrent.info());
            List<FileState> now = storage.fileStates();
            ResumeCheck.Outcome outcome = fullCheck
                    ? ResumeCheck.checkAll(pieceCount, Optional.empty())
                    : memory != null
                    ? ResumeCheck.of(memory, torrent.infoHash(), storage.root().toString(), map, now,
                            Path.of("memory"))
                    : resume.isPresent()
                    ? resumeCheck(resume.get(), torrent, storage.root(), map, now)
                    : ResumeCheck.checkAll(pieceCount, Optional.empty());
            PieceSet verified = outcome.trusted();
            BitSet toCheck = outcome.toCheck();
            toCheck.and(ResumeCheck.readable(map, now, storage.parkedSpans()));
            if (!toCheck.isEmpty()) {
                checks.check(new PieceChecker(storage, map, torrent.info()::pieceHash), toCheck,
                        handle.lifecycle().checkProgress(), handle.lifecycle()::startChecking).stream().forEach(verified::add);
            } else {
                handle.lifecycle().checkProgress().set(torrent.info().totalLength());
            }
            start = new FileStart(verified, new PieceSet(pieceCount),
                    memory != null ? Optional.empty() : outcome.note());
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} of {2} pieces on disk at the start ({3})", torrent.name(),
                start.verified().count(), pieceCount, start.note().orElse(trust ? "taken on trust" : "checked"));
        return start;
    }

    /** What the resume file lets us skip checking; any problem with it only means checking more. */
    private static ResumeCheck.Outcome resumeCheck(ResumeFile file, Torrent torrent, Path root, PieceMap map,
                                                   List<FileState> now) throws IOException {
        int pieceCount = torrent.info().pieceCount();
        Optional<ResumeData> data;
        try {
            data = file.load();
        } catch (ResumeData.InvalidResumeDataException e) {
            return ResumeCheck.checkAll(pieceCount, Optional.of("resume file " + file.path() + " not used ("
                    + e.getMessage() + "): checked the data"));
        } catch (IOException e) {
            return ResumeCheck.checkAll(pieceCount, Optional.of("cannot read resume file " + file.path() + " ("
                    + StorageException.reason(e) + "): checked the data"));
        }
        if (data.isEmpty()) {
            return ResumeCheck.checkAll(pieceCount, Optional.empty());
        }
        return ResumeCheck.of(data.get(), torrent.infoHash(), root.toString(), map, now, file.path());
    }
}
