package dev.jtorrent.testkit;

import dev.jtorrent.digest.Sha1;
import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.swarm.PieceSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** A one-file torrent of random content, made for a simulation, and the disks in memory its peers keep it on. */
public final class SimTorrent {
    private final byte[] content;
    private final InfoDictionary info;
    private final InfoHash infoHash;

    private SimTorrent(byte[] content, int pieceLength, boolean isPrivate) {
        this.content = content;
        int pieces = (content.length + pieceLength - 1) / pieceLength;
        byte[] hashes = new byte[InfoDictionary.HASH_LENGTH * pieces];
        for (int i = 0; i < pieces; i++) {
            int length = Math.min(pieceLength, content.length - i * pieceLength);
            byte[] hash = Sha1.create().digest(ByteBuffer.wrap(content, i * pieceLength, length));
            System.arraycopy(hash, 0, hashes, InfoDictionary.HASH_LENGTH * i, InfoDictionary.HASH_LENGTH);
        }
        this.info = new InfoDictionary("simulated", pieceLength, hashes, false,
                List.of(FileEntry.of(List.of("simulated"), content.length, 0)), isPrivate, Optional.empty(), false);
        this.infoHash = InfoHash.of(Sha1.create().digest(ByteBuffer.wrap(hashes)));
    }

    /** {@code length} random bytes (from {@code seed}) in pieces of {@code pieceLength}. */
    public static SimTorrent random(long seed, int length, int pieceLength) {
        byte[] content = new byte[length];
        new SplittableRandom(seed).nextBytes(content);
        return new SimTorrent(content, pieceLength, false);
    }

    /** As {@link #random}, but private (BEP 27): its peers come from its tracker alone. */
    public static SimTorrent randomPrivate(long seed, int length, int pieceLength) {
        byte[] content = new byte[length];
        new SplittableRandom(seed).nextBytes(content);
        return new SimTorrent(content, pieceLength, true);
    }

    public InfoDictionary info() {
        return info;
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** A copy of the content. */
    public byte[] content() {
        return content.clone();
    }

    /** The bytes of {@code block} of {@code piece}, as a seed sends them. */
    public ByteBuffer block(int piece, int begin, int length) {
        return ByteBuffer.wrap(content, piece * info.pieceLength() + begin, length).slice();
    }

    /** A disk in memory holding {@code pieces} of the content, forced. */
    MemoryStorage storageWith(PieceSet pieces) {
        MemoryStorage storage = new MemoryStorage(PieceMap.of(info));
        try {
            for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
                storage.writePiece(i, block(i, 0, info.pieceSize(i)));
            }
            storage.force();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return storage;
    }

    /** What {@code storage} holds, read back; a piece it lacks reads as zeros. */
    byte[] read(MemoryStorage storage) {
        byte[] bytes = new byte[content.length];
        for (int i = 0; i < info.pieceCount(); i++) {
            ByteBuffer piece = ByteBuffer.wrap(bytes, i * info.pieceLength(), info.pieceSize(i)).slice();
            try {
                storage.read(i, 0, piece);
            } catch (IOException e) {
                // missing: left as zeros, so that the comparison fails
            }
        }
        return bytes;
    }
}
