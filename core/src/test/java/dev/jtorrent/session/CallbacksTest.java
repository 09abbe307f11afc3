package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.ForwardingChannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A program's callbacks on a handle's futures run on threads of their own: "pause when done", chained on the
 * completion, pauses at once and keeps what was downloaded, where it once waited 30 s on the swarm's thread for that
 * same thread to stop, and then lost the resume data of the last pieces. And a start given up (a pause during the
 * check, then a resume) touches nothing of the start after it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbacksTest {
    private static final int PIECE = 32 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @TempDir
    Path dir;

    @Test
    void pausingWhenDoneFromTheCompletionsCallbackPausesAtOnce() throws Exception {
        Path content = swarm.content("done", 1024 * 1024);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle handle = swarm.add(swarm.session(), torrent, downloads);
        CompletableFuture<Long> pausedAfter = new CompletableFuture<>();
        handle.completion().thenRun(() -> {
            long start = System.nanoTime();
            handle.pause();
            pausedAfter.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
        swarm.seed(torrent, content);

        long millis = pausedAfter.get(40, TimeUnit.SECONDS);
        assertThat(millis).as("the pause's time, in ms: no wait for the swarm's own thread").isLessThan(15_000);
        assertThat(handle.status().state()).isInstanceOf(TorrentState.Paused.class);
        assertThat(handle.status().verifiedPieces()).isEqualTo(handle.status().pieceCount());
        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("done/file-0.bin")))
                .isEqualTo(-1L);
    }

    @Test
    void aCheckStoppedByAPauseDoesNotFailTheStartThatTheResumeMade() throws Exception {
        Path content = swarm.content("checked", 4 * 1024 * 1024);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session(SessionConfig.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .build(), (path, options) -> new SlowReads(FileChannel.open(path, options)));
        List<TorrentState> states = new CopyOnWriteArrayList<>();
        session.subscribe(event -> {
            if (event instanceof SessionEvent.StateChanged changed) {
                states.add(changed.to());
            }
        });
        TorrentHandle handle = session.add(torrent, AddOptions.builder().downloadDirectory(content.getParent())
                .build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(handle.status().state() instanceof TorrentState.Checking) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(handle.status().state()).as("checking its 128 pieces, 5 ms each").isInstanceOf(
                TorrentState.Checking.class);

        handle.pause(); // interrupts the check, whose thread then says so a moment later...
        handle.resume(); // ...while this resume's own check is under way

        handle.checked().get(40, TimeUnit.SECONDS);
        assertThat(handle.completion()).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(handle.status().state()).isInstanceOf(TorrentState.Seeding.class);
        assertThat(states).as("the check given up failed nothing").noneMatch(TorrentState.Failed.class::isInstance);
    }

    @Test
    void aRecheckCutShortByAPauseSaysSo() throws Exception {
        Path content = swarm.content("rechecked", 4 * 1024 * 1024);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session session = swarm.session(SessionConfig.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .build(), (path, options) -> new SlowReads(FileChannel.open(path, options)));
        TorrentHandle handle = session.add(torrent, AddOptions.builder().downloadDirectory(content.getParent())
                .trustData(true).build());
        handle.checked().get(20, TimeUnit.SECONDS);

        CompletableFuture<Void> recheck = handle.recheck();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(handle.status().state() instanceof TorrentState.Checking) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        handle.pause();

        assertThat(recheck).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withCauseInstanceOf(java.util.concurrent.CancellationException.class)
                .withMessageContaining("paused before its check was done");
        assertThat(handle.status().state()).isInstanceOf(TorrentState.Paused.class);
    }

    /** Reads take 5 ms each, so that a check of a few MiB takes a second or more. */
    private static final class SlowReads extends ForwardingChannel {
        SlowReads(FileChannel inner) {
            super(inner);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            return inner.read(dst, position);
        }
    }
}
