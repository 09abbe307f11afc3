package dev.jtorrent.swarm;

import dev.jtorrent.digest.Sha1;
import dev.jtorrent.wire.BlockRef;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libtorrent's smart ban: finds the liar among the peers that sent the blocks of a piece that failed its hash check.
 * Without it, a piece with several senders can only cost each of them some trust, and an honest peer that shares
 * pieces with a liar is banned beside it.
 *
 * <p>When a piece with blocks from more than one peer fails, each block's sender and a SHA-1 of the block's data are
 * remembered. When the piece later passes, its blocks are hashed again: a peer whose remembered block differs from
 * the good one sent bad data and is banned; a peer whose blocks all matched was suspected wrongly and is cleared. A
 * peer that sent one block twice with different data, both times in a piece that failed, is banned at once: at least
 * one of the two was a lie (libtorrent does the same).
 *
 * <p>Bounded: at most {@link #MAX_BLOCKS} blocks are remembered (under 2 MiB), by whole pieces; past that the piece
 * that failed longest ago is forgotten, and a piece with more blocks than that is not remembered at all. A plain
 * policy object like the picker: no sockets, no clock; swarm thread only.
 */
final class SmartBan {
    /** Blocks remembered at most: 256 MiB of failed pieces, far more than are in flight at once. */
    static final int MAX_BLOCKS = 16_384;

    /** What {@code sender} sent for block {@code index} of a failed piece: a SHA-1 of its data. */
    record SentBlock(int index, InetSocketAddress sender, byte[] digest) {
    }

    /**
     * What a piece that passed says about the peers that sent it when it failed.
     *
     * @param liars   peers that sent a block that differed from the good one
     * @param cleared the other senders, with the number of failures of this piece they were blamed for
     */
    record Verdict(Set<InetSocketAddress> liars, Map<InetSocketAddress, Integer> cleared) {
        static final Verdict NONE = new Verdict(Set.of(), Map.of());
    }

    private record Sender(int index, InetSocketAddress sender) {
    }

    /** A failed piece: what each peer sent for each block, and how often each sender shared in its failures. */
    private static final class Suspect {
        final Map<Sender, byte[]> blocks = new HashMap<>();
        final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    }

    /** Pieces in the order they (last) failed, oldest first. */
    private final LinkedHashMap<Integer, Suspect> failed = new LinkedHashMap<>();
    private int blocks;

    /** Whether {@code piece} failed with several senders and is remembered: hash its blocks when it passes. */
    boolean remembers(int piece) {
        return failed.containsKey(piece);
    }

    /**
     * A piece with several senders failed. Remembers its blocks; returns the peers that sent a block of it before,
     * in an earlier failure, with other data.
     */
    Set<InetSocketAddress> pieceFailed(int piece, List<SentBlock> sent) {
        if (sent.isEmpty()) {
            return Set.of(); // a sole sender: banned without smart ban's help
        }
        Suspect suspect = failed.remove(piece);
        if (suspect == null) {
            suspect = new Suspect();
        }
        Set<InetSocketAddress> liars = new LinkedHashSet<>();
        Set<InetSocketAddress> senders = new LinkedHashSet<>();
        for (SentBlock block : sent) {
            senders.add(block.sender());
            byte[] before = suspect.blocks.putIfAbsent(new Sender(block.index(), block.sender()), block.digest());
            if (before == null) {
                blocks++;
            } else if (!Arrays.equals(before, block.digest())) {
                liars.add(block.sender());
            }
        }
        for (InetSocketAddress sender : senders) {
            suspect.failures.merge(sender, 1, Integer::sum);
        }
        failed.put(piece, suspect);
        evictBeyondLimit();
        return liars;
    }

    /** A remembered piece passed with these block digests (see {@link #digests}); judges its earlier senders. */
    Verdict piecePassed(int piece, byte[][] good) {
        Suspect suspect = failed.remove(piece);
        if (suspect == null) {
            return Verdict.NONE;
        }
        blocks -= suspect.blocks.size();
        Set<InetSocketAddress> liars = new LinkedHashSet<>();
        suspect.blocks.forEach((sent, digest) -> {
            if (sent.index() >= good.length || !Arrays.equals(digest, good[sent.index()])) {
                liars.add(sent.sender());
            }
        });
        Map<InetSocketAddress, Integer> cleared = new HashMap<>(suspect.failures);
        cleared.keySet().removeAll(liars);
        return new Verdict(liars, cleared);
    }

    /** Blocks remembered now; for tests. */
    int blockCount() {
        return blocks;
    }

    /** The SHA-1 of each 16 KiB block of a piece's data, in order. */
    static byte[][] digests(ByteBuffer piece) {
        Sha1 sha1 = Sha1.create();
        int length = piece.remaining();
        byte[][] digests = new byte[(length + BlockRef.SIZE - 1) / BlockRef.SIZE][];
        for (int i = 0; i < digests.length; i++) {
            int begin = i * BlockRef.SIZE;
            digests[i] = sha1.digest(piece.slice(piece.position() + begin, Math.min(BlockRef.SIZE, length - begin)));
        }
        return digests;
    }

    private void evictBeyondLimit() {
        Iterator<Suspect> oldest = failed.values().iterator();
        while (blocks > MAX_BLOCKS && oldest.hasNext()) {
            blocks -= oldest.next().blocks.size();
            oldest.remove();
        }
    }
}
