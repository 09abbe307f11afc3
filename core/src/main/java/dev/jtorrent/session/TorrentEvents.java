package dev.jtorrent.session;

import dev.jtorrent.swarm.PieceSet;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What one torrent tells the world, as its {@link TorrentLifecycle} decides and its runs go: the session events
 * about it (its state's changes, its pieces to the subscribers that asked for them, its files completed, its
 * storage failures) and its handle's futures ({@link TorrentHandle#checked()}, {@link
 * TorrentHandle#completion()}).
 */
final class TorrentEvents {
    private final TorrentHandle handle;
    /** The torrent's files; null while it has no metadata. */
    private final Supplier<TorrentFiles> files;
    private final EventHub events;
    private final CompletableFuture<TorrentHandle> checked = new CompletableFuture<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final CompletableFuture<TorrentHandle> metadata = new CompletableFuture<>();
    /** What the handle gives out: the same outcomes, told on threads of their own (see {@link #onOwnThread}). */
    private final CompletableFuture<TorrentHandle> checkedView = onOwnThread(checked);
    private final CompletableFuture<Void> completionView = onOwnThread(completion);
    private final CompletableFuture<TorrentHandle> metadataView = onOwnThread(metadata);
    /** The state subscribers were last told of. Guarded by this. */
    private TorrentState reported;

    TorrentEvents(TorrentHandle handle, Supplier<TorrentFiles> files, EventHub events) {
        this.handle = handle;
        this.files = files;
        this.events = events;
    }

    /** For the handle's {@link TorrentHandle#checked()}; see {@link #onOwnThread}. */
    CompletableFuture<TorrentHandle> checked() {
        return checkedView;
    }

    /** For the handle's {@link TorrentHandle#metadata()}; see {@link #onOwnThread}. */
    CompletableFuture<TorrentHandle> metadata() {
        return metadataView;
    }

    /** Its metadata is known. */
    void metadataKnown() {
        metadata.complete(handle);
    }

    /** For the handle's {@link TorrentHandle#completion()}; see {@link #onOwnThread}. */
    CompletableFuture<Void> completion() {
        return completionView;
    }

    /**
     * A future with {@code future}'s outcome, completed on a virtual thread of its own, for a program's callbacks.
     * The outcomes are reached on a swarm's thread or under the lifecycle's lock, where a program's callback must not
     * run: {@code completion().thenRun(handle::pause)}, a common "stop when done", would otherwise wait on the
     * swarm's thread for that same thread to stop.
     */
    static <T> CompletableFuture<T> onOwnThread(CompletableFuture<T> future) {
        return future.whenCompleteAsync((result, failure) -> {
        }, task -> Thread.ofVirtual().name("torrent-callbacks").start(task));
    }

    /**
     * The torrent reports {@code now}: subscribers are told if that changes its kind of state, or the reason of a
     * failure. Called in the order of the changes (under the lifecycle's lock).
     */
    synchronized void stateIs(TorrentState now) {
        handle.activity().observe(now, System.nanoTime());
        if (reported == null) {
            reported = now; // as added: TorrentAdded says so
            return;
        }
        if (!now.getClass().equals(reported.getClass()) || now instanceof TorrentState.Failed) {
            if (!now.equals(reported)) {
                events.publish(new SessionEvent.StateChanged(handle, reported, now));
            }
            reported = now;
        }
    }

    /** Before a runtime's swarm starts: the pieces it starts from, and a hook for those it gets. */
    void listen(TorrentRuntime runtime, PieceSet verified) {
        files.get().reset(verified);
        runtime.swarm().onPieceDone(this::pieceDone);
    }

    /** On the swarm's thread: a piece became ours. */
    private void pieceDone(int piece) {
        List<Integer> completed = files.get().pieceDone(piece);
        if (events.wantsPieceEvents()) {
            events.publish(new SessionEvent.PieceFinished(handle, piece));
        }
        for (int file : completed) {
            if (files.get().priority(file) != FilePriority.SKIP) {
                events.publish(new SessionEvent.FileCompleted(handle, file));
            }
        }
    }

    /** It has started, knowing which pieces it has. */
    void started() {
        checked.complete(handle);
    }

    /** Its start failed: it could not be checked, or its storage could not be opened. */
    void startFailed(String message, Throwable cause) {
        events.publish(new SessionEvent.StorageFailed(handle, message));
        checked.completeExceptionally(cause);
    }

    /**
     * The running swarm has every wanted piece ({@code failure} null), or failed before it had them (the event of
     * the failure is {@link #failed}'s).
     */
    void ended(Throwable failure) {
        if (failure == null) {
            handle.activity().completed(Instant.now(), System.nanoTime());
            Thread.ofVirtual().name("record-" + handle.name()).start(handle::saveRecord); // its completion date
            completion.complete(null);
        } else {
            completion.completeExceptionally(failure.getCause() != null ? failure.getCause() : failure);
        }
    }

    /** The running swarm stopped on an error, complete or not. */
    void failed(String message) {
        events.publish(new SessionEvent.StorageFailed(handle, message));
    }

    /** Its metadata, once fetched, was not a valid torrent: it can neither start nor complete. */
    void metadataFailed(String message) {
        IllegalStateException failure = new IllegalStateException(handle.name() + ": " + message);
        metadata.completeExceptionally(failure);
        checked.completeExceptionally(failure);
        completion.completeExceptionally(failure);
    }

    /** It was removed: it never starts nor completes now. */
    void removed() {
        metadata.completeExceptionally(new IllegalStateException("the torrent " + handle.name() + " was removed"));
        checked.completeExceptionally(new IllegalStateException("the torrent " + handle.name() + " was removed"));
        completion.completeExceptionally(new IllegalStateException("the torrent " + handle.name() + " was removed"));
    }
}
