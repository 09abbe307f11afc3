package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.ProtocolException;
import dev.jtorrent.wire.WireReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The receiving side of a {@link SocketConnection}, run by its reader thread: it decodes messages (piece data
 * straight into the swarm's {@link BlockMemory}, where {@link Intake} lets it), hands them to the swarm a burst at a
 * time, and after each block of piece data stops reading for as long as the torrent's {@link DownloadLimit} and the
 * session's download {@link RateBudget} say ({@link ReadThrottle}), so that TCP slows the peer down. It also knows
 * when the peer was last heard from, for the swarm's clock.
 */
final class PeerReader {
    /** Events a reader holds back at most while more input is already waiting; see {@link #run}. */
    private static final int MAX_BATCH = 64;

    private final PeerConnection connection;
    private final InputStream input;
    private final WireReader reader;
    private final Intake intake;
    /** The session's download rate, shared by all its connections; a torrent's own limit comes with {@link #run}. */
    private final RateBudget download;
    /** When the reader last handed over what arrived. */
    private volatile long lastHeard;

    /**
     * @param input the stream {@code reader} reads, asked how much is already buffered so that a burst of blocks
     *              reaches the swarm as one batch
     * @param now   the time the connection starts, as {@link System#nanoTime()}
     */
    PeerReader(PeerConnection connection, InputStream input, WireReader reader, Intake intake, RateBudget download,
               long now) {
        this.connection = connection;
        this.input = input;
        this.reader = reader;
        this.intake = intake;
        this.download = download;
        this.lastHeard = now;
    }

    /** When the reader last handed over what arrived, or was let go by a download limit. */
    long lastHeard() {
        return lastHeard;
    }

    /**
     * Reads until the peer closes the connection, breaks the protocol, or the socket fails (closing it is how the
     * connection stops its reader); every event but the last goes to {@code events}. Returns why reading ended, as
     * the reader saw it.
     */
    CloseReason run(Consumer<PeerEvent> events, BlockMemory buffers, DownloadLimit limit) {
        Intake.Sink sink = intake.sink(buffers);
        ReadThrottle throttle = new ReadThrottle(limit, download, System::nanoTime);
        // Events are handed over in bursts: while more input is already buffered, they wait here (up to
        // MAX_BATCH), so the swarm thread is woken once per burst rather than once per 16 KiB block. A burst goes as
        // one event: handed over one by one, the first would wake the swarm, which could take it alone.
        List<PeerEvent> batch = new ArrayList<>(MAX_BATCH);
        CloseReason reason;
        try {
            while (true) {
                Message message = reader.read(sink);
                if (message == null) {
                    reason = CloseReason.of(CloseReason.Kind.PEER_CLOSED, "the peer closed the connection");
                    break;
                }
                batch.add(intake.received(message, sink));
                // The block counts against the torrent's limit and the session's; the later of the two decides.
                if (message instanceof Message.Piece && throttle.count(sink.lastLength())) {
                    // The limit says stop reading for a while: hand over what came, then leave the socket alone, so
                    // that TCP slows the peer down. Time held back is not the peer's silence.
                    lastHeard = System.nanoTime();
                    handOver(batch, events);
                    batch = new ArrayList<>(MAX_BATCH);
                    throttle.await();
                    lastHeard = System.nanoTime();
                    continue;
                }
                if (batch.size() >= MAX_BATCH || input.available() <= 0) {
                    lastHeard = System.nanoTime();
                    handOver(batch, events);
                    batch = new ArrayList<>(MAX_BATCH);
                }
            }
        } catch (ProtocolException e) {
            reason = CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, e.getMessage());
        } catch (InterruptedException e) {
            reason = CloseReason.of(CloseReason.Kind.INTERNAL_ERROR,
                    "interrupted while the download limit held reading back");
        } catch (IOException e) {
            reason = CloseReason.of(CloseReason.Kind.NETWORK_ERROR,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (RuntimeException e) {
            reason = CloseReason.of(CloseReason.Kind.INTERNAL_ERROR, "internal error reading from the peer: " + e);
        } finally {
            sink.abandonClaim();
            handOver(batch, events);
        }
        return reason;
    }

    /** Posts what one burst of input gave: one event as it is, several as a {@link PeerEvent.Burst}. */
    private void handOver(List<PeerEvent> batch, Consumer<PeerEvent> events) {
        if (batch.size() == 1) {
            events.accept(batch.getFirst());
        } else if (!batch.isEmpty()) {
            events.accept(new PeerEvent.Burst(connection, batch));
        }
    }
}
