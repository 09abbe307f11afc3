package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where one torrent's pieces are kept when the embedding program keeps them itself (in memory, in a database, in an
 * object store) rather than in files under a download directory. Set per torrent with {@link
 * AddOptions.Builder#storage(Factory)}; without it, a torrent's data is files in its download directory, as always.
 *
 * <pre>{@code
 * session.add(torrent, AddOptions.builder().storage(new PieceStore.Factory() {
 *     public PieceStore open(Torrent torrent) { // a new store at each start, over what was kept before
 *         return new MyStore(shelves.computeIfAbsent(torrent.infoHash(), hash -> new Shelf()));
 *     }
 *     public void delete(Torrent torrent) {
 *         shelves.remove(torrent.infoHash());
 *     }
 * }).build());
 * }</pre>
 *
 * <h2>What the session asks of a store</h2>
 *
 * <p>Each start of the torrent (its add, a {@link TorrentHandle#resume()}, a {@link TorrentHandle#recheck()}) opens
 * a store through the torrent's {@link Factory}, asks {@link #has} of every piece, then reads each piece the store
 * has and checks its SHA-1, as a start over files checks them: a piece that does not match is fetched again from
 * peers and written over. With {@link AddOptions#trustData()} the pieces it has are taken without that read at the
 * add (each is still hashed before it is first sent to a peer, and a corrupt one is never sent).
 *
 * <p>Only whole pieces are written, and only once their SHA-1 matched in memory, so the store never holds a
 * partial or unverified piece from the session. A piece counts as the torrent's (offered to peers, counted towards
 * completion) only once {@link #force()} has returned after its write; a store that loses a piece it was told to
 * keep before {@code force} returned loses nothing the torrent counted. Reads ask for pieces the store said it has,
 * or pieces written and forced since; a block for a peer may start anywhere in its piece.
 *
 * <p>The store is closed when the torrent stops (paused, removed, its session closed), when its start fails after
 * the open, and after a recheck that leaves it paused; a torrent that failed while running keeps its store open
 * until it is paused, resumed or removed. A resume opens a new one through the factory, so a factory that should
 * keep the pieces of a paused torrent must hand out a store over the same data again.
 *
 * <h2>What the session does not do with a store of this kind</h2>
 *
 * <ul>
 *     <li>No resume file is written or read: the store is the truth about which pieces it has, and the pieces it
 *     has are checked at every start (unless the add trusted them).</li>
 *     <li>No file is created, and no parts file: the store keeps whole pieces, so a skipped file's bytes have nowhere
 *     else to go. File priorities still decide what is fetched: a piece that lies only in skipped files is never
 *     fetched, and one shared by a skipped and a wanted file is fetched and written whole.</li>
 *     <li>{@link TorrentHandle#moveStorage} is refused with {@link UnsupportedOperationException}: there are no
 *     files to move. {@link TorrentHandle#directory()} names the directory it would have used, with nothing in
 *     it.</li>
 *     <li>{@link Session#remove(TorrentHandle, boolean) Session.remove(handle, true)} closes the store, then asks
 *     {@link Factory#delete} to delete the torrent's pieces.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>A store must be safe for use by several threads, within these guarantees: {@link #has} is called only at the
 * start, from the thread that starts the torrent, before anything else. {@link #writePiece} and {@link #force} are
 * never called at the same time as each other or themselves; they come from the session's disk threads (a force
 * also from the torrent's own thread as it stops), in the order the session means them. {@link #read} is called by
 * several disk threads at once, for checks and for uploads, and at the same time as a write or a force (never of the
 * same piece: a piece being written is not read). {@link #close()} is called once, after every other call has
 * returned (or after 30 s, so that a store that hangs cannot hold up the session's close), and nothing is called
 * after it.
 *
 * <h2>Failures</h2>
 *
 * <p>An {@link IOException} (or a runtime exception, taken for a bug of the store) from {@link #has}, {@link #read},
 * {@link #writePiece} or {@link #force} stops that torrent, as a failing disk stops a torrent kept in files: its
 * state becomes {@link TorrentState.Failed} with one line such as "cannot write piece 3 to the store: quota
 * exceeded", made of the exception's message, and a {@link SessionEvent.StorageFailed} is published. Its
 * connections close, the session and its other torrents go on, and a piece whose write or force failed is not
 * counted. {@link TorrentHandle#resume()} starts it again through the factory (stopping it first, as a pause
 * would). A store that has run out of room fails the same way: unlike a full disk under files, it does not pause
 * and retry by itself. A failure to {@link #close()} is logged and has no
 * other effect.
 */
public interface PieceStore extends Closeable {

    /**
     * Whether the store holds piece {@code piece}, so that the session reads and checks it at the start rather
     * than fetching it. Saying so of a piece held wrongly costs only its check; a piece not said is fetched again.
     *
     * @param piece from 0 to the torrent's piece count, exclusive
     * @throws IOException if the store cannot tell; the torrent does not start, and fails with the message
     */
    boolean has(int piece) throws IOException;

    /**
     * Keeps a whole piece, whose SHA-1 was checked: {@code data}'s remaining bytes, exactly the piece's size ({@link
     * dev.jtorrent.metainfo.InfoDictionary#pieceSize(int)}). The buffer is read-only and lent for this call alone:
     * copy what is to be kept before returning. A piece written again (it failed its check at the start and was
     * fetched again) replaces what was there.
     *
     * @throws IOException if the piece cannot be kept; the torrent fails with the message
     */
    void writePiece(int piece, ByteBuffer data) throws IOException;

    /**
     * Fills {@code destination} from its position to its limit with the piece's bytes from {@code offset} on,
     * leaving its position at its limit. The session checks the range first: {@code offset} is at least 0 and
     * {@code offset + destination.remaining()} at most the piece's size.
     *
     * @throws IOException if the bytes cannot be read, or the store does not hold the piece; the torrent fails with
     *                     the message (a read that fills less than asked fails it the same way)
     */
    void read(int piece, int offset, ByteBuffer destination) throws IOException;

    /**
     * Makes every piece written so far durable, as far as the store can: once it returns, those pieces count as
     * the torrent's. A store in memory has nothing to do.
     *
     * @throws IOException if the pieces written since the last force may be lost; they are not counted, and the
     *                     torrent fails with the message
     */
    void force() throws IOException;

    /**
     * Releases what the store holds open; it is not used again. Pieces forced before stay kept, for a later
     * {@link Factory#open} to find, if the store keeps anything past its close.
     *
     * @throws IOException logged, and otherwise ignored: the torrent has stopped already
     */
    @Override
    void close() throws IOException;

    /**
     * Opens the store of a torrent at each of its starts, and deletes a torrent's pieces when it is removed with
     * its data. Called by the session's threads, for any torrent that was added with it, so it must be safe for use
     * by several threads at once.
     */
    interface Factory {

        /**
         * The store of {@code torrent}, holding the pieces kept for it before, if any: called at each start of the
         * torrent (see {@link PieceStore}); the store opened before has been closed by then.
         *
         * @throws IOException if the store cannot be opened; the torrent does not start, and fails with the message
         */
        PieceStore open(Torrent torrent) throws IOException;

        /**
         * Deletes every piece kept for {@code torrent}, which {@link Session#remove(TorrentHandle, boolean)} was
         * asked to remove with its data. The torrent has stopped and its store been closed, unless a start was
         * checking it at that moment, which is being abandoned and may still be closing it.
         *
         * @throws IOException if the pieces cannot all be deleted; {@code Session.remove} throws it, the torrent
         *                     being removed all the same
         */
        void delete(Torrent torrent) throws IOException;
    }
}
