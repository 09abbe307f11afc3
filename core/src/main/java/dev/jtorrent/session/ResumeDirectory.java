package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.ChannelOpener;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a session keeps what it knows of each torrent between runs, named by its info hash in the resume directory:
 * its resume file ({@code <info hash>.resume}) and the journal of a move of its files ({@code <info hash>.move}). A
 * session without a resume directory keeps neither, and checks a torrent's data at every start.
 *
 * @param directory the session's resume directory, if it has one
 * @param opener    how resume files are opened: the real disk, or a faulty one in tests
 */
record ResumeDirectory(Optional<Path> directory, ChannelOpener opener) {

    Optional<ResumeFile> resumeFile(InfoHash infoHash) {
        return directory.map(dir -> new ResumeFile(dir.resolve(infoHash.hex() + ".resume"), opener));
    }

    Optional<Path> moveJournal(InfoHash infoHash) {
        return directory.map(dir -> dir.resolve(infoHash.hex() + ".move"));
    }
}
