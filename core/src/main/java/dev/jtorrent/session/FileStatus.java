package dev.jtorrent.session;

import java.util.Objects;

/**
 * One file of a torrent, from {@link TorrentHandle#files()}.
 *
 * @param index         its place in the torrent, from 0 (the command line numbers files from 1)
 * @param path          its path inside the torrent's directory, with {@code /} between names, as sanitised for
 *                      this machine
 * @param length        its size in bytes
 * @param verifiedBytes how much of it is verified on disk
 * @param priority      how much it is wanted
 */
public record FileStatus(int index, String path, long length, long verifiedBytes, FilePriority priority) {
    public FileStatus {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(priority, "priority");
    }

    /** Whether every byte of the file is verified on disk. */
    public boolean complete() {
        return verifiedBytes == length;
    }
}
