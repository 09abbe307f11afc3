package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.wire.BlockRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses which blocks to request from which peer. Pure policy: no sockets, no disk, no clock.
 *
 * <ul>
 *   <li>Wanted pieces only, the most wanted first: each piece has the priority of the most wanted file it carries
 *       bytes of ({@link WantedPieces}); a new piece is taken from the highest priority the peer has a piece of, so
 *       high before normal before low, and skipped pieces never.</li>
 *   <li>Random first: until {@link #RANDOM_FIRST_PIECES} pieces are ours, new pieces are chosen at random among
 *       those the peer has, so that we soon have something to trade.</li>
 *   <li>Rarest first afterwards, through {@link AvailabilityOrder}.</li>
 *   <li>Sequential, if asked (for playing a file while it downloads): within a priority, the rarest of the first
 *       {@link #SEQUENTIAL_WINDOW_BYTES} of pieces we lack, in index order; if the peer has none of those, the first
 *       piece it has. Rarest first inside the window keeps a swarm of sequential downloaders trading, where strict
 *       order would have them all want the same piece.</li>
 *   <li>Whole pieces: a peer first continues the pieces it started, then any piece in progress, before a new
 *       piece is started; new pieces are started only while fewer than {@code maxPiecesInProgress} are in flight,
 *       which bounds the memory held by partial pieces.</li>
 *   <li>No block is requested twice, except in endgame: once every missing block is requested, blocks still in
 *       flight may be requested from other peers too, fewest requesters first.</li>
 * </ul>
 */
public final class PiecePicker {
    /** Pieces picked at random before switching to rarest first, as libtorrent does. */
    static final int RANDOM_FIRST_PIECES = 4;
    /**
     * How far ahead of the first piece we lack sequential mode may pick: 16 MiB, at least {@link #MIN_WINDOW} pieces.
     * Wide enough for several fast peers to work side by side, near enough that a player reading from the start has
     * what it needs in order.
     */
    static final long SEQUENTIAL_WINDOW_BYTES = 16L * 1024 * 1024;
    static final int MIN_WINDOW = 4;

    private final int pieceCount;
    private final IntUnaryOperator pieceSize;
    private final RandomGenerator random;
    private final int maxPiecesInProgress;
    private final AvailabilityOrder order;
    private final PieceSet have;
    private final WantedPieces wanted;
    private final int sequentialWindow;
    private boolean sequential;
    private final Map<Integer, PieceProgress> inProgress = new LinkedHashMap<>();
    /** Pieces in progress that still have open blocks; kept up to date so that endgame is an O(1) test. */
    private int piecesWithOpenBlocks;

    public PiecePicker(int pieceCount, IntUnaryOperator pieceSize, int maxPiecesInProgress, RandomGenerator random) {
        this.pieceCount = pieceCount;
        this.pieceSize = pieceSize;
        this.random = random;
        this.maxPiecesInProgress = maxPiecesInProgress;
        this.order = new AvailabilityOrder(pieceCount, random);
        this.have = new PieceSet(pieceCount);
        this.wanted = new WantedPieces(pieceCount, pieceSize);
        int pieceLength = pieceCount == 0 ? 1 : pieceSize.applyAsInt(0);
        this.sequentialWindow = (int) Math.max(MIN_WINDOW, SEQUENTIAL_WINDOW_BYTES / pieceLength);
    }

    /**
     * How much each piece is wanted, from now on; {@link FilePriority#ofPieces} makes them of file priorities. Pieces
     * in progress are finished whatever their priority now.
     */
    public void setPriorities(FilePriority[] pieces) {
        wanted.set(pieces, have);
        for (int piece = 0; piece < pieceCount; piece++) {
            boolean pickable = wanted.isWanted(piece) && !have.has(piece) && !inProgress.containsKey(piece);
            if (pickable) {
                order.add(piece);
            } else {
                order.remove(piece);
            }
        }
    }

    /** Whether new pieces are picked in order, within a window (see the class comment). */
    public void setSequential(boolean sequential) {
        this.sequential = sequential;
    }

    public boolean isSequential() {
        return sequential;
    }

    /** Marks a piece as ours (verified on disk): it is never picked again. */
    public void pieceVerified(int piece) {
        have.add(piece);
        wanted.verified(piece);
        forget(piece);
        order.remove(piece);
    }

    /** A piece failed its hash check: all its blocks are open again. */
    public void pieceFailed(int piece) {
        forget(piece);
        if (wanted.isWanted(piece) && !have.has(piece)) {
            order.add(piece); // to be picked again, among the pieces of its availability
        }
    }

    private void forget(int piece) {
        PieceProgress progress = inProgress.remove(piece);
        if (progress != null && progress.hasOpenBlocks()) {
            piecesWithOpenBlocks--;
        }
    }

    public PieceSet have() {
        return have.copy();
    }

    /** How many pieces are ours; no copy, unlike {@link #have()}. */
    public int haveCount() {
        return have.count();
    }

    public boolean hasPiece(int piece) {
        return have.has(piece);
    }

    /** Whether every wanted piece is ours; the torrent need not be whole. */
    public boolean isComplete() {
        return wanted.complete();
    }

    /** Bytes of the wanted pieces that are not ours yet. */
    public long wantedBytesLeft() {
        return wanted.bytesLeft();
    }

    public void peerHas(int piece) {
        order.increment(piece);
    }

    public void peerHas(PieceSet pieces) {
        for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
            order.increment(i);
        }
    }

    public void peerLost(PieceSet pieces) {
        for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
            order.decrement(i);
        }
    }

    public int availability(int piece) {
        return order.availability(piece);
    }

    /** Whether the peer has a wanted piece we lack. */
    public boolean isInteresting(PieceSet peerPieces) {
        return wanted.anyMissingIn(peerPieces);
    }

    /**
     * Picks up to {@code max} blocks to request from {@code peer}.
     *
     * @param alreadyRequested whether this peer already has a request out for a block (checked in endgame)
     */
    public List<BlockRef> pick(Object peer, PieceSet peerPieces, int max, Predicate<BlockRef> alreadyRequested) {
        return pick(peer, peerPieces, max, alreadyRequested, piece -> true);
    }

    /**
     * Picks as {@link #pick(Object, PieceSet, int, Predicate)} does, starting a new piece only if {@code
     * startPiece} allows it (there is memory for it): the first refusal ends the picking of new pieces.
     */
    public List<BlockRef> pick(Object peer, PieceSet peerPieces, int max, Predicate<BlockRef> alreadyRequested,
                               IntPredicate startPiece) {
        List<BlockRef> picked = new ArrayList<>(max);
        // 1. pieces this peer started, 2. other pieces in progress
        for (int pass = 0; pass < 2 && picked.size() < max; pass++) {
            for (PieceProgress progress : inProgress.values()) {
                boolean own = progress.owner == peer;
                if ((pass == 0) == own && progress.hasOpenBlocks() && peerPieces.has(progress.piece)) {
                    takeOpen(progress, picked, max);
                    if (picked.size() >= max) {
                        return picked;
                    }
                }
            }
        }
        // 3. new pieces
        while (picked.size() < max && inProgress.size() < maxPiecesInProgress) {
            int piece = newPiece(peerPieces);
            if (piece < 0 || !startPiece.test(piece)) {
                break;
            }
            PieceProgress progress = new PieceProgress(piece, pieceSize.applyAsInt(piece), peer);
            inProgress.put(piece, progress);
            order.remove(piece);
            piecesWithOpenBlocks++;
            takeOpen(progress, picked, max);
        }
        if (picked.isEmpty() && isEndgame()) {
            endgame(peerPieces, max, alreadyRequested, picked);
        }
        return picked;
    }

    /** Endgame: every missing block is requested or received, and no new piece can start. */
    public boolean isEndgame() {
        // Every wanted piece we lack is started (none is left to pick), and none has a block nobody was asked for.
        return !inProgress.isEmpty() && order.size() == 0 && piecesWithOpenBlocks == 0;
    }

    private void endgame(PieceSet peerPieces, int max, Predicate<BlockRef> alreadyRequested, List<BlockRef> out) {
        // Fewest requesters first, so that a slow peer's blocks get a second source soonest.
        for (int wanted = 1; wanted <= 2 && out.size() < max; wanted++) {
            for (PieceProgress progress : inProgress.values()) {
                if (!peerPieces.has(progress.piece)) {
                    continue;
                }
                for (int b = 0; b < progress.blockCount() && out.size() < max; b++) {
                    if (!progress.isReceived(b) && progress.requesters(b) == wanted) {
                        BlockRef block = progress.block(b);
                        if (!alreadyRequested.test(block) && !out.contains(block)) {
                            progress.requested(b);
                            out.add(block);
                        }
                    }
                }
            }
        }
    }

    private void takeOpen(PieceProgress progress, List<BlockRef> out, int max) {
        for (int b = 0; b < progress.blockCount() && out.size() < max; b++) {
            if (progress.isOpen(b)) {
                progress.requested(b);
                out.add(progress.block(b));
            }
        }
        if (!progress.hasOpenBlocks()) {
            piecesWithOpenBlocks--;
        }
    }

    /** The next piece to start from this peer, of the highest priority it has a piece of; -1 if none. */
    private int newPiece(PieceSet peerPieces) {
        for (FilePriority priority : FilePriority.WANTED_FIRST_TO_LAST) {
            if (wanted.missingCount(priority) == 0) {
                continue;
            }
            int piece = sequential ? sequentialNewPiece(priority, peerPieces)
                    : have.count() < RANDOM_FIRST_PIECES ? randomNewPiece(priority, peerPieces)
                    : rarestNewPiece(priority, peerPieces);
            if (piece >= 0) {
                return piece;
            }
        }
        return -1;
    }

    private int rarestNewPiece(FilePriority priority, PieceSet peerPieces) {
        // The order holds only the pieces to pick: wanted, not ours, not in progress.
        for (int i = 0; i < order.size(); i++) {
            int piece = order.pieceAt(i);
            if (order.availability(piece) > 0 && peerPieces.has(piece) && wanted.of(piece) == priority) {
                return piece;
            }
        }
        return -1;
    }

    /**
     * The rarest piece the peer has among the first {@link #sequentialWindow} pieces of this priority that we lack
     * (in progress or not), the first of equally rare ones; if it has none of them, the first piece after them that
     * it has.
     */
    private int sequentialNewPiece(FilePriority priority, PieceSet peerPieces) {
        PieceSet missing = wanted.missing(priority);
        int best = -1;
        int seen = 0;
        int piece = missing.next(0);
        for (; piece >= 0 && seen < sequentialWindow; piece = missing.next(piece + 1), seen++) {
            if (peerPieces.has(piece) && !inProgress.containsKey(piece)
                    && (best < 0 || order.availability(piece) < order.availability(best))) {
                best = piece;
            }
        }
        for (; best < 0 && piece >= 0; piece = missing.next(piece + 1)) {
            if (peerPieces.has(piece) && !inProgress.containsKey(piece)) {
                best = piece;
            }
        }
        return best;
    }

    private int randomNewPiece(FilePriority priority, PieceSet peerPieces) {
        PieceSet missing = wanted.missing(priority);
        // Up to 64 candidates from a random place on (wrapping round), then a random one of them: cheap, and peers
        // that start together diverge, even where one seed offers them all the same pieces.
        List<Integer> candidates = new ArrayList<>();
        int start = random.nextInt(pieceCount);
        for (int pass = 0; pass < 2; pass++) {
            int from = pass == 0 ? start : 0;
            int to = pass == 0 ? pieceCount : start;
            for (int i = peerPieces.next(from); i >= 0 && i < to && candidates.size() < 64;
                    i = peerPieces.next(i + 1)) {
                if (missing.has(i) && !inProgress.containsKey(i)) {
                    candidates.add(i);
                }
            }
        }
        if (candidates.isEmpty()) {
            return -1;
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    /**
     * A block arrived. Returns true if this completed its piece (every block received), which then awaits the
     * hash check; false otherwise, including for a duplicate or a block of a piece not in progress.
     */
    public boolean blockReceived(BlockRef block) {
        PieceProgress progress = inProgress.get(block.piece());
        if (progress == null || block.index() >= progress.blockCount()) {
            return false;
        }
        boolean hadOpen = progress.hasOpenBlocks();
        boolean fresh = progress.received(block.index());
        if (hadOpen && !progress.hasOpenBlocks()) {
            piecesWithOpenBlocks--;
        }
        return fresh && progress.isComplete();
    }

    /** Whether the block is part of a piece in progress and has not arrived yet (so data for it is wanted). */
    public boolean isWanted(BlockRef block) {
        PieceProgress progress = inProgress.get(block.piece());
        return progress != null && block.index() < progress.blockCount() && !progress.isReceived(block.index())
                && progress.block(block.index()).equals(block);
    }

    /** A request ended without data: the block is open again unless another peer is fetching it. */
    public void requestDropped(BlockRef block) {
        PieceProgress progress = inProgress.get(block.piece());
        if (progress != null && block.index() < progress.blockCount()) {
            boolean hadOpen = progress.hasOpenBlocks();
            progress.dropped(block.index());
            if (!hadOpen && progress.hasOpenBlocks()) {
                piecesWithOpenBlocks++;
            }
        }
    }

    /** Endgame by its definition, counted the slow way; for tests of the O(1) {@link #isEndgame()}. */
    boolean isEndgameCountedSlowly() {
        boolean anyOpen = inProgress.values().stream().anyMatch(PieceProgress::hasOpenBlocks);
        boolean allStarted = true;
        for (int piece = 0; piece < pieceCount; piece++) {
            allStarted &= !wanted.isWanted(piece) || have.has(piece) || inProgress.containsKey(piece);
        }
        return !inProgress.isEmpty() && allStarted && !anyOpen;
    }

    public int piecesInProgress() {
        return inProgress.size();
    }
}
