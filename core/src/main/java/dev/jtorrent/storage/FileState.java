package dev.jtorrent.storage;

/**
 * What a torrent's file looks like on disk: its size and last modification time, or {@link #ABSENT}. Resume data
 * records it beside the pieces it claims; a file whose state changed since may no longer hold them.
 *
 * @param size          bytes, or -1 when there is no such file
 * @param modifiedNanos last modification, in nanoseconds since the epoch (0 when absent)
 */
public record FileState(long size, long modifiedNanos) {
    /** No file: never written yet, or a pad file, which is never written. */
    public static final FileState ABSENT = new FileState(-1, 0);

    public FileState {
        if (size < -1) {
            throw new IllegalArgumentException("size " + size);
        }
    }

    public boolean exists() {
        return size >= 0;
    }
}
