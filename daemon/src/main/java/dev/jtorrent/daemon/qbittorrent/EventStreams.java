package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.session.SessionEvent;
import dev.jtorrent.session.Subscription;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * jtorrent's push channel beside the Web API, {@code GET /api/v2/jtorrent/events}: server-sent events that carry
 * {@code sync/maindata}'s partial updates as torrents are added, removed or change, so that the web UI never polls.
 * It passes the same checks as every endpoint of the API (client whitelist, Host, cross-site, the SID session).
 *
 * <p>Events: {@code resync} (fetch the whole state: sent first, and again to a client that fell behind, see {@link
 * EventBacklog}), {@code update} (its data a {@code sync/maindata} partial answer, its id the update's), and
 * comment lines as keep-alives every {@link StreamLimits#keepAlive}, at which the stream also ends if its web
 * session has (logout, expiry). At most {@link StreamLimits#maxStreams} are open at once; past that, 503.
 *
 * <p>One feed serves every stream: a thread that, while any stream is open, takes a snapshot every {@link
 * StreamLimits#tick} and at once (but no sooner than {@link StreamLimits#minTickGap} after the last) when the
 * session tells of a torrent added, removed or changing state, diffs it in {@link TorrentFeed}, and writes each
 * update once into the bytes every stream's backlog shares. Each stream writes on a virtual thread of its own, so
 * a slow client holds none of Jetty's threads and slows no one else.
 */
final class EventStreams implements AutoCloseable {
    /** The path under {@code /api/v2/}. */
    static final String PATH = "jtorrent/events";
    private static final Logger LOG = System.getLogger(EventStreams.class.getName());
    private static final byte[] RESYNC = "event: resync\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * The bounds of the push channel.
     *
     * @param maxStreams        streams open at once, over all clients
     * @param maxBacklogEvents  updates one stream may have waiting before it is sent a resync instead
     * @param maxBacklogBytes   bytes of updates one stream may have waiting before the same
     * @param tick              how often the torrents are compared while a stream is open
     * @param minTickGap        the least time between two comparisons, however many session events come
     * @param keepAlive         a comment is sent after this long without an event (under Jetty's idle timeout)
     */
    record StreamLimits(int maxStreams, int maxBacklogEvents, long maxBacklogBytes, Duration tick,
                        Duration minTickGap, Duration keepAlive) {
        static final StreamLimits DEFAULTS = new StreamLimits(16, 64, 8L * 1024 * 1024, Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(15));

        StreamLimits {
            if (maxStreams < 1 || maxBacklogEvents < 1 || maxBacklogBytes < 1 || tick.isNegative() || tick.isZero()
                    || minTickGap.isNegative() || keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("event stream limits must be positive");
            }
        }
    }

    private final Backend backend;
    private final WebSessions sessions;
    private final StreamLimits limits;
    private final TorrentFeed feed = new TorrentFeed();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final List<EventBacklog> streams = new ArrayList<>();
    private boolean eventPending;
    private boolean closed;
    private Thread ticker;
    private Subscription subscription;

    EventStreams(Backend backend, WebSessions sessions, StreamLimits limits) {
        this.backend = backend;
        this.sessions = sessions;
        this.limits = limits;
    }

    /**
     * Opens a stream for a client that passed the API's checks, and answers it until it goes, its session ends or
     * the API stops; 503 (thrown before anything is written) when {@link StreamLimits#maxStreams} are open.
     */
    void open(WebSessions.WebSession session, Response response, Callback callback, Optional<String> setCookie)
            throws ApiException {
        EventBacklog backlog = new EventBacklog(limits.maxBacklogEvents(), limits.maxBacklogBytes());
        lock.lock();
        try {
            if (closed) {
                throw new ApiException(503, "Service Unavailable");
            }
            if (streams.size() >= limits.maxStreams()) {
                LOG.log(Level.WARNING, "qBittorrent API: an event stream refused, " + streams.size() + " are open");
                throw new ApiException(503, "Too many event streams are open");
            }
            if (streams.isEmpty()) {
                feed.reset();
            }
            streams.add(backlog);
            startFeed();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Accel-Buffering", "no");
        setCookie.ifPresent(cookie -> response.getHeaders().add(HttpHeader.SET_COOKIE, cookie));
        Thread.ofVirtual().name("jtorrent-events-writer").start(() -> write(session, backlog, response, callback));
    }

    /**
     * The stream's writer: what its backlog holds, as it comes, until the stream ends. The stream leaves the count
     * of open ones before its last write, so a client that sees it end can open another at once.
     */
    private void write(WebSessions.WebSession session, EventBacklog backlog, Response response, Callback callback) {
        Throwable failure = null;
        try {
            send(response, "retry: 3000\n\n".getBytes(StandardCharsets.US_ASCII));
            while (true) {
                EventBacklog.Next next = backlog.take(limits.keepAlive());
                if (next instanceof EventBacklog.Next.Closed) {
                    break;
                }
                if (next instanceof EventBacklog.Next.Idle && sessions.find(session.sid()).isEmpty()) {
                    break;
                }
                send(response, switch (next) {
                    case EventBacklog.Next.Event event -> event.frame();
                    case EventBacklog.Next.Resync resync -> RESYNC;
                    case EventBacklog.Next.Idle idle -> KEEP_ALIVE;
                    case EventBacklog.Next.Closed closedNow -> throw new AssertionError("handled above");
                });
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "qBittorrent API: an event stream ended: " + e);
            failure = e;
        } catch (InterruptedException e) {
            failure = e;
        } finally {
            backlog.close();
            lock.lock();
            try {
                streams.remove(backlog);
            } finally {
                lock.unlock();
            }
        }
        if (failure == null) {
            response.write(true, ByteBuffer.allocate(0), callback);
        } else {
            callback.failed(failure);
        }
    }

    private static void send(Response response, byte[] frame) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(frame), written);
            written.block();
        }
    }

    /** Starts the feed's thread and the session subscription, the first time a stream opens; under the lock. */
    private void startFeed() {
        if (ticker != null) {
            return;
        }
        subscription = backend.session().subscribe(event -> {
            if (event instanceof SessionEvent.TorrentAdded || event instanceof SessionEvent.TorrentRemoved
                    || event instanceof SessionEvent.StateChanged || event instanceof SessionEvent.MetadataReceived) {
                lock.lock();
                try {
                    eventPending = true;
                    wake.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
        ticker = Thread.ofVirtual().name("jtorrent-events-feed").start(this::feed);
    }

    /** The feed's loop: compare, push, wait for the next tick or a session event. */
    private void feed() {
        long lastTick = System.nanoTime() - limits.tick().toNanos();
        while (true) {
            List<EventBacklog> targets;
            lock.lock();
            try {
                while (!closed) {
                    long now = System.nanoTime();
                    long due = eventPending ? lastTick + limits.minTickGap().toNanos()
                            : lastTick + limits.tick().toNanos();
                    if (!streams.isEmpty() && now - due >= 0) {
                        break;
                    }
                    if (streams.isEmpty()) {
                        wake.await();
                    } else {
                        wake.awaitNanos(due - now);
                    }
                }
                if (closed) {
                    return;
                }
                eventPending = false;
                targets = List.copyOf(streams);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            lastTick = System.nanoTime();
            try {
                tick(targets, lastTick);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "qBittorrent API: the event feed failed a comparison: " + e);
            }
        }
    }

    private void tick(List<EventBacklog> targets, long nanos) {
        MainDataHistory.Snapshot now = backend.snapshot();
        Optional<TorrentFeed.Update> update;
        lock.lock();
        try {
            update = feed.next(now, nanos);
        } finally {
            lock.unlock();
        }
        if (update.isEmpty()) {
            return;
        }
        byte[] frame = frame(update.get());
        for (EventBacklog backlog : targets) {
            backlog.offer(frame);
        }
    }

    /** An update as a server-sent event: its id, its name, and its JSON on one data line (JSON has no newline). */
    static byte[] frame(TorrentFeed.Update update) {
        byte[] json = Json.write(out -> SyncEndpoints.write(out, update.id(), update.base(), update.now()));
        byte[] head = ("id: " + update.id() + "\nevent: update\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(json, 0, frame, head.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** Streams open now; for tests. */
    int open() {
        lock.lock();
        try {
            return streams.size();
        } finally {
            lock.unlock();
        }
    }

    /** Ends every stream and the feed. */
    @Override
    public void close() {
        List<EventBacklog> open;
        lock.lock();
        try {
            closed = true;
            open = List.copyOf(streams);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        open.forEach(EventBacklog::close);
        if (subscription != null) {
            subscription.close();
        }
    }
}
