package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.ChannelOpener;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.StorageException;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.Swarm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts a session's torrents, each on a virtual thread of its own: finishes a move of its files that a crash cut
 * short, opens its storage (its files, or an embedder's {@link PieceStore}), learns which pieces it has ({@link
 * FileStart}, {@link StoreStart}), has its runtime made and runs it, unless it was paused or removed meanwhile. A
 * start that fails leaves its torrent failed, with one line saying why.
 */
final class TorrentStarter {
    private static final System.Logger LOG = System.getLogger(TorrentStarter.class.getName());
    /** How torrent data is opened: the real disk, or a faulty one in tests. */
    private final ChannelOpener opener;
    private final CheckQueue checks;
    private final ResumeDirectory resume;
    private final StorageMoves moves;
    private final TorrentLauncher launcher;
    /** The session's running swarms, by info hash, for incoming connections: a started torrent's joins them. */
    private final Map<InfoHash, Swarm> swarms;
    /** Tells the session's queue that a torrent waits for its turn ({@link TorrentQueue#waiting}). */
    private final Consumer<TorrentHandle> waiting;

    TorrentStarter(ChannelOpener opener, CheckQueue checks, ResumeDirectory resume, StorageMoves moves,
                   TorrentLauncher launcher, Map<InfoHash, Swarm> swarms, Consumer<TorrentHandle> waiting) {
        this.opener = opener;
        this.checks = checks;
        this.resume = resume;
        this.moves = moves;
        this.launcher = launcher;
        this.swarms = swarms;
        this.waiting = waiting;
    }

    /**
     * Checks a torrent's data in the background, then starts it.
     *
     * @param memory    what it had when it was paused, used as resume data is; null to use the resume file
     * @param trustData take every piece as present without a check
     * @param fullCheck check every piece, whatever resume data says
     */
    void activate(TorrentHandle handle, ResumeData memory, boolean trustData, boolean fullCheck) {
        Thread thread = Thread.ofVirtual().name("start-" + handle.name()).unstarted(() -> {
            try {
                start(handle, memory, trustData, fullCheck);
            } catch (InterruptedException e) {
                handle.lifecycle().startFailed("interrupted while checking", e);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot start " + handle.name(), e);
                handle.lifecycle().startFailed(StorageException.reason(e), e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot start " + handle.name(), e);
                handle.lifecycle().startFailed("internal error: " + e, e);
            }
        });
        handle.lifecycle().activating(thread);
        thread.start();
    }

    private void start(TorrentHandle handle, ResumeData memory, boolean trustData, boolean fullCheck)
            throws IOException, InterruptedException {
        Torrent torrent = handle.torrent().orElseThrow();
        if (handle.store().isPresent()) {
            startInStore(handle, torrent, handle.store().get(), trustData);
            return;
        }
        moves.finishUnfinished(handle, torrent);
        handle.finishRename();
        DownloadOptions wanted = handle.settings().downloadOptions();
        FileStorage storage = FileStorage.open(handle.lifecycle().directory(), handle.layout(), torrent.infoHash(),
                wanted.filePriorities(), opener);
        FileStart start;
        TorrentRuntime runtime;
        try {
            Optional<ResumeFile> resumeFile = resume.resumeFile(torrent.infoHash());
            start = FileStart.of(storage, torrent, resumeFile, memory, trustData, fullCheck, checks, handle);
            runtime = launchInFiles(handle, torrent, storage, start, resumeFile, wanted);
        } catch (IOException | InterruptedException | RuntimeException e) {
            storage.close();
            throw e;
        }
        run(handle, runtime, start.verified(), start.note());
    }

    /**
     * Starts a torrent kept in an embedder's store: no resume data, no files; the pieces the store has are checked
     * unless {@code trustData} (see {@link PieceStore}).
     */
    private void startInStore(TorrentHandle handle, Torrent torrent, PieceStore.Factory factory, boolean trustData)
            throws IOException, InterruptedException {
        DownloadOptions wanted = handle.settings().downloadOptions();
        PieceStoreStorage storage = PieceStoreStorage.open(factory, torrent);
        StoreStart start;
        TorrentRuntime runtime;
        try {
            start = StoreStart.of(storage, torrent, trustData, checks, handle);
            runtime = launcher.launch(handle, torrent, storage, start.verified(), start.unchecked(),
                    PieceRecorder.NONE, () -> { }, wanted, TorrentRuntime.Snapshot.NONE);
        } catch (IOException | InterruptedException | RuntimeException e) {
            storage.close();
            throw e;
        }
        run(handle, runtime, start.verified(), Optional.empty());
    }

    /**
     * The check is done and the runtime made: the torrent waits with it for its turn in the session's queue, which
     * runs it at once if there is room; unless it is to stay paused after a recheck, when this closes the runtime's
     * storage and keeps what it found.
     */
    private void run(TorrentHandle handle, TorrentRuntime runtime, PieceSet verified, Optional<String> startNote)
            throws IOException {
        if (!handle.lifecycle().runAfterCheck()) {
            handle.lifecycle().checkedWhilePaused(verified, runtime.closeUnstarted(verified));
            return;
        }
        // Running before the handle says so (if the queue lets it run): whoever waits on checked() may connect to it
        // at once.
        boolean taken = handle.lifecycle().ready(runtime, verified, startNote, () -> {
            handle.events().listen(runtime, verified);
            swarms.put(runtime.swarm().infoHash(), runtime.swarm());
            runtime.swarm().start();
            runtime.announcer().start();
            runtime.announceLocally();
            runtime.announceOnDht();
            if (!runtime.swarm().completion().isDone()) {
                runtime.swarm().completion().thenRun(runtime.announcer()::completed);
            }
        });
        if (!taken) {
            runtime.stop(); // paused or removed meanwhile, or given up for a later start: it never ran
            return;
        }
        waiting.accept(handle); // its turn may be now
    }

    /**
     * The runtime of a torrent in files: its resume file, if the session keeps them, saves the pieces it gets as
     * they are recorded, and once complete it creates its empty files.
     */
    private TorrentRuntime launchInFiles(TorrentHandle handle, Torrent torrent, FileStorage storage, FileStart start,
                                         Optional<ResumeFile> resumeFile, DownloadOptions wanted) {
        TorrentRuntime.Snapshot snapshot = pieces -> ResumeData.of(torrent.infoHash(), storage.root().toString(),
                pieces, storage.fileStates());
        PieceRecorder recorder = resumeFile.<PieceRecorder>map(file -> (sequence, pieces) -> file.save(sequence,
                snapshot.of(pieces))).orElse(PieceRecorder.NONE);
        return launcher.launch(handle, torrent, storage, start.verified(), start.unchecked(), recorder,
                () -> createEmptyFiles(storage), wanted, snapshot);
    }

    private static void createEmptyFiles(FileStorage storage) {
        try {
            storage.createEmptyFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
