package dev.jtorrent.session;

/**
 * How much a file of a torrent is wanted. Pieces of {@link #HIGH} files are picked before those of {@link #NORMAL}
 * ones, and those before {@link #LOW} ones; a {@link #SKIP} file is not downloaded, and never created: the parts of
 * its pieces that other files need are kept aside, out of the download directory.
 */
public enum FilePriority {
    /** Not downloaded. */
    SKIP,
    /** Downloaded after the normal and high ones. */
    LOW,
    /** The default. */
    NORMAL,
    /** Downloaded first. */
    HIGH
}
