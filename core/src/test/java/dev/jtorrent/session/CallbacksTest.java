package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A program's callbacks on a handle's futures run on threads of their own: "pause when done", chained on the
 * completion, pauses at once and keeps what was downloaded, where it once waited 30 s on the swarm's thread for that
 * same thread to stop, and then lost the resume data of the last pieces.
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
}
