package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.Message;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A downloaded piece's way to being ours: verified and written (on the disk pool), forced to disk, then shared
 * (offered to peers with {@code have}, counted towards completion) and recorded in resume data. A piece counts only
 * once forced: the pieces written while one force runs are forced together by the next, so a fast download forces in
 * large batches by itself and a slow one waits about one {@code fsync} per piece. Swarm thread only.
 */
final class PieceCommit {
    /** A time that never comes: nothing is due. */
    static final long NEVER = Long.MAX_VALUE;

    private final InfoDictionary info;
    private final PiecePicker picker;
    private final PieceBuffers buffers;
    /** The pieces we offer peers: verified and forced to disk, as in the {@link #picker}; read by {@link Uploads}. */
    private final PieceSet shared;
    private final DiskWork disk;
    private final PieceRecorder recorder;
    private final long recordIntervalNanos;
    private final Peers peers;
    private final Totals totals;
    /** Written, and waiting for the next force. */
    private final List<Integer> written = new ArrayList<>();
    /** Whether a force of written pieces is running on the disk pool ({@link #forceIfDue}). */
    private boolean forceRunning;
    /** Pieces became ours since the last record (true at first: the start's check is worth recording too). */
    private boolean unrecorded = true;
    private long lastRecord;
    private long recordSequence;

    /** @param shared the pieces ours at the start, which the picker already counts as verified */
    private IntConsumer pieceDone = piece -> { };

    PieceCommit(InfoDictionary info, PiecePicker picker, PieceBuffers buffers, PieceSet shared, DiskWork disk,
                PieceRecorder recorder, long recordIntervalNanos, Peers peers, Totals totals, long now) {
        this.info = info;
        this.picker = picker;
        this.buffers = buffers;
        this.shared = shared;
        this.disk = disk;
        this.recorder = recorder;
        this.recordIntervalNanos = recordIntervalNanos;
        this.peers = peers;
        this.totals = totals;
        this.lastRecord = now;
    }

    /** The pieces that are ours; the swarm's own, live. */
    PieceSet shared() {
        return shared;
    }

    /** Bytes of the wanted pieces not ours yet: what is left to download. */
    long bytesLeft() {
        return picker.wantedBytesLeft();
    }

    /** A piece's last block arrived: hash it on the disk pool, and write it if it matches. */
    void verify(int piece, boolean digestBlocks) {
        PieceBuffers.PieceBuffer buffer = buffers.get(piece);
        if (buffer != null) {
            disk.verifyAndWrite(buffer, info.pieceHash(piece), digestBlocks);
        }
    }

    /** A piece passed and was written; it waits for the next force. */
    void written(int piece) {
        written.add(piece);
        // Its data is in the file now: the memory can go back to the pool while the force is still to come.
        buffers.release(piece);
    }

    /** A piece failed its hash check: it is fetched again. */
    void failed(int piece) {
        picker.pieceFailed(piece);
        buffers.release(piece);
        totals.wasted(info.pieceSize(piece));
    }

    /**
     * Forces what was written as soon as the last force is done: one force at a time, each taking every piece
     * written meanwhile, so a piece waits about one {@code fsync} before peers hear of it, and a fast download
     * forces in large batches on its own.
     */
    void forceIfDue() {
        if (forceRunning || written.isEmpty()) {
            return;
        }
        List<Integer> batch = List.copyOf(written);
        written.clear();
        forceRunning = true;
        disk.force(batch);
    }

    /** Whether every piece written is forced, and no force runs. */
    boolean settled() {
        return written.isEmpty() && !forceRunning;
    }

    /** Has {@code listener} told of each piece as it becomes ours; it runs on the swarm's thread. */
    void onPieceDone(IntConsumer listener) {
        this.pieceDone = listener;
    }

    /** These written pieces are forced to disk: they are ours now, and every peer hears so. */
    void durable(List<Integer> pieces) {
        forceRunning = false;
        for (int piece : pieces) {
            picker.pieceVerified(piece);
            shared.add(piece);
            peers.sendToAll(new Message.Have(piece));
            pieceDone.accept(piece);
        }
        unrecorded = true;
    }

    /**
     * The disk is full: the pieces that did not reach it, verified but not written ({@code forcing}: written but not
     * forced), are fetched again later. Nothing on disk is touched: a piece is written whole or does not count.
     */
    void outOfSpace(List<Integer> pieces, boolean forcing) {
        if (forcing) {
            forceRunning = false;
        }
        for (int piece : pieces) {
            picker.pieceFailed(piece);
            buffers.release(piece);
            totals.wasted(info.pieceSize(piece));
        }
    }

    /** Saving resume data failed: it is tried again when it is next due. */
    void recordFailed() {
        unrecorded = true;
    }

    /** Records the pieces that are ours if a record is due (see {@link #recordDue}). */
    void recordIfDue(long now, boolean failed) {
        if (now >= recordDue(failed)) {
            unrecorded = false;
            lastRecord = now;
            disk.record(recorder, ++recordSequence, shared.copy());
        }
    }

    /**
     * When the pieces that became ours since the last record are to be recorded: the record interval after it, or
     * at once when the download is complete; never while nothing is new, after a disk error, or without a recorder.
     */
    long recordDue(boolean failed) {
        if (!unrecorded || failed || recorder == PieceRecorder.NONE) {
            return NEVER;
        }
        return picker.isComplete() ? lastRecord : lastRecord + recordIntervalNanos;
    }

    /**
     * On the swarm's way out, on its thread: forces what was written and hands those pieces, ours now, to
     * {@code durable}; then records every piece that is ours, even after a failed force (the pieces recorded were
     * forced before it, and are still ours). Returns why either failed, or null.
     */
    String stop(Consumer<List<Integer>> durable) {
        String error = null;
        try {
            if (!written.isEmpty()) {
                disk.forceNow();
                List<Integer> forced = List.copyOf(written);
                written.clear();
                durable.accept(forced);
            }
        } catch (IOException e) {
            error = e.getMessage();
        }
        try {
            disk.recordNow(recorder, ++recordSequence, shared);
        } catch (IOException | RuntimeException e) {
            if (error == null) {
                error = "cannot save resume data: " + e.getMessage();
            }
        }
        return error;
    }
}
