package dev.jtorrent.storage;

import dev.jtorrent.metainfo.FileEntry;

import java.util.Arrays;
import java.util.List;

/**
 * How much a file of a torrent is wanted. A {@link #SKIP}ped file is not downloaded, and never created: the bytes of
 * it that pieces of wanted files carry go to the torrent's parts file ({@link PartsFile}). Of the others, the pieces
 * of {@link #HIGH} files are fetched first and those of {@link #LOW} files last. Declared from least to most wanted,
 * so that {@link #compareTo} orders them.
 */
public enum FilePriority {
    SKIP, LOW, NORMAL, HIGH;

    /** The wanted priorities, most wanted first: the order in which pieces are picked. */
    public static final List<FilePriority> WANTED_FIRST_TO_LAST = List.of(HIGH, NORMAL, LOW);

    public boolean wanted() {
        return this != SKIP;
    }

    /** {@code count} files, every one {@link #NORMAL}: a download of the whole torrent. */
    public static List<FilePriority> allNormal(int count) {
        FilePriority[] all = new FilePriority[count];
        Arrays.fill(all, NORMAL);
        return List.of(all);
    }

    /**
     * The priority of each piece: the highest of the files it carries bytes of, as in libtorrent, so that a piece
     * shared by a skipped and a wanted file is fetched for the wanted one. A piece of pad files alone (BEP 47) is
     * {@link #SKIP}: nothing in it is ever written.
     *
     * @param files one priority for each of the map's files, pad files included (theirs are ignored)
     * @throws IllegalArgumentException if there are not as many priorities as files
     */
    public static FilePriority[] ofPieces(PieceMap map, List<FilePriority> files) {
        checkCount(map, files);
        FilePriority[] pieces = new FilePriority[map.pieceCount()];
        Arrays.fill(pieces, SKIP);
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = map.files().get(i);
            if (file.padding() || file.length() == 0) {
                continue;
            }
            int first = (int) (file.offset() / map.pieceLength());
            int last = (int) ((file.end() - 1) / map.pieceLength());
            for (int piece = first; piece <= last; piece++) {
                if (files.get(i).compareTo(pieces[piece]) > 0) {
                    pieces[piece] = files.get(i);
                }
            }
        }
        return pieces;
    }

    /** @throws IllegalArgumentException unless {@code priorities} has one entry for each of the map's files */
    public static void checkCount(PieceMap map, List<FilePriority> priorities) {
        if (priorities.size() != map.files().size()) {
            throw new IllegalArgumentException(priorities.size() + " file priorities for a torrent of "
                    + map.files().size() + " files (pad files included)");
        }
    }
}
