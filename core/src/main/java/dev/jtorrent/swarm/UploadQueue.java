package dev.jtorrent.swarm;

import dev.jtorrent.wire.BlockRef;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One peer's requests that we have not sent yet, and the memory that the blocks on their way to it hold.
 *
 * <p>A block we send is a view of its whole piece in the {@link ReadCache}, and the piece's memory cannot be reused
 * until the block is written to the socket. A peer that asks for blocks of many pieces and reads nothing would hold a
 * whole piece per block, and a few such peers used to hold all of the torrent's upload memory, so that every other
 * peer's requests were refused. So each peer may hold only so many pieces at once: a request is started (read, lent,
 * queued for the writer) only while the pieces its blocks hold, from the start of their read until they are written
 * or dropped, number fewer than its allowance, or when its piece is one of them already. The rest wait here, in the
 * order they came, costing a {@link BlockRef} each; once a piece is no longer held, the peer is told it has room
 * ({@link #UploadQueue}'s {@code room}) and the next ones start.
 *
 * <p>The requests ({@link #add}, {@link #startNext}, {@link #cancel}, {@link #take}) belong to the swarm thread. What
 * is held ({@link #finished}) is also released by the connection's writer thread, once a block is written, and is
 * guarded by its own lock.
 */
final class UploadQueue {
    /** Requests a peer may have waiting or started at once; past this they are refused. */
    private final int capacity;
    /** Runs when a piece is no longer held after {@link #startNext} found no room; on any thread. */
    private final Runnable room;
    /** Requests not started yet, in the order they came. */
    private final LinkedHashSet<BlockRef> waiting = new LinkedHashSet<>();
    /** Requests started (being read, or waiting for the upload limit) and not yet handed to the connection. */
    private final Set<BlockRef> started = new HashSet<>();
    /** Blocks started and not yet written or dropped, by piece. Guarded by itself. */
    private final HashMap<Integer, Integer> held = new HashMap<>();
    /** {@link #startNext} found no room, and waits for {@link #room}. Guarded by {@link #held}. */
    private boolean wantsRoom;

    UploadQueue(int capacity, Runnable room) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.room = room;
    }

    /** Queues a request; false if it is queued already or the queue is full. */
    boolean add(BlockRef block) {
        if (size() >= capacity || started.contains(block)) {
            return false;
        }
        return waiting.add(block);
    }

    /** Requests waiting or started. */
    int size() {
        return waiting.size() + started.size();
    }

    /**
     * Starts the oldest waiting request if the peer may hold its piece: it holds that piece already, or fewer than
     * {@code maxPieces} pieces. Returns it, or null if none waits or there is no room (the peer is then told
     * when there is).
     */
    BlockRef startNext(int maxPieces) {
        Iterator<BlockRef> oldest = waiting.iterator();
        if (!oldest.hasNext()) {
            return null;
        }
        BlockRef block = oldest.next();
        synchronized (held) {
            if (!held.containsKey(block.piece()) && held.size() >= maxPieces) {
                wantsRoom = true;
                return null;
            }
            held.merge(block.piece(), 1, Integer::sum);
        }
        oldest.remove();
        started.add(block);
        return block;
    }

    /**
     * A cancel: the request goes if it has not been handed to the connection yet. Returns true if it was waiting (it
     * is simply gone); a started request is dropped when its data comes back ({@link #take} then says no).
     */
    boolean cancel(BlockRef block) {
        if (waiting.remove(block)) {
            return true;
        }
        started.remove(block);
        return false;
    }

    /** The data of a started request is here: true if it is still wanted (not cancelled meanwhile). */
    boolean take(BlockRef block) {
        return started.remove(block);
    }

    /** Takes out every request that has not started (on a choke): they will not be served. */
    List<BlockRef> dropWaiting() {
        List<BlockRef> dropped = List.copyOf(waiting);
        waiting.clear();
        return dropped;
    }

    /** A started block was written, or dropped: it holds its piece no more. Any thread. */
    void finished(BlockRef block) {
        boolean wake = false;
        synchronized (held) {
            Integer count = held.get(block.piece());
            if (count == null) {
                return;
            }
            if (count > 1) {
                held.put(block.piece(), count - 1);
            } else {
                held.remove(block.piece());
                wake = wantsRoom;
                wantsRoom = false;
            }
        }
        if (wake) {
            room.run();
        }
    }

    /** Pieces the peer's blocks hold now. */
    int piecesHeld() {
        synchronized (held) {
            return held.size();
        }
    }
}
