package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.PieceChecker;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.swarm.PieceSet;

import java.io.IOException;
import java.util.BitSet;

/**
 * What a torrent kept in an embedder's {@link PieceStore} starts from. There is no resume data to trust, so the
 * pieces the store says it has are checked, in the session's {@link CheckQueue} as files are, unless the add
 * trusted them.
 *
 * @param verified  the pieces that are the torrent's at the start
 * @param unchecked those of them taken on trust, to be hashed before they are first sent
 */
record StoreStart(PieceSet verified, PieceSet unchecked) {

    /**
     * Asks the store which pieces it has, then checks them (or trusts them).
     *
     * @param trust take the pieces the store has without a read, as {@link AddOptions#trustData()} asks
     * @throws IOException          if the store cannot tell which pieces it has, or a read fails
     * @throws InterruptedException if the torrent was paused or removed while it waited for its check or checked
     */
    static StoreStart of(PieceStoreStorage storage, Torrent torrent, boolean trust, CheckQueue checks,
                         TorrentHandle handle) throws IOException, InterruptedException {
        int pieceCount = torrent.info().pieceCount();
        BitSet held = storage.held();
        PieceSet unchecked = new PieceSet(pieceCount);
        if (trust) {
            held.stream().forEach(unchecked::add);
            handle.lifecycle().checkProgress().set(torrent.info().totalLength());
            return new StoreStart(unchecked.copy(), unchecked);
        }
        PieceSet verified = new PieceSet(pieceCount);
        if (held.isEmpty()) {
            handle.lifecycle().checkProgress().set(torrent.info().totalLength());
        } else {
            checks.check(new PieceChecker(storage, PieceMap.of(torrent.info()), torrent.info()::pieceHash), held,
                    handle.lifecycle().checkProgress(), handle.lifecycle()::startChecking).stream().forEach(verified::add);
        }
        return new StoreStart(verified, unchecked);
    }
}
