package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leecher under a download limit takes no faster than the limit from two unlimited seeds: 3 MiB at 1 MiB a second
 * cannot arrive in less than about three seconds, however fast loopback is (a lower bound, so a slow machine cannot
 * make it fail), and every byte still arrives, few of them twice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DownloadLimitSwarmTest {
    private static final long LIMIT = 1024 * 1024;
    private static final int SIZE = 3 * 1024 * 1024;
    private static final int BLOCK = 16 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aLimitedLeecherTakesNoFasterThanItsLimit() throws Exception {
        Path content = swarm.content("limited", SIZE);
        Torrent torrent = swarm.torrentOf(content, 64 * 1024);
        swarm.seed(torrent, content);
        swarm.seed(torrent, content);

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        long started = System.nanoTime();
        TorrentHandle leecher = swarm.add(swarm.session(), torrent,
                AddOptions.builder().downloadDirectory(downloads).downloadLimit(LIMIT).build());
        leecher.completion().get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;

        // The bucket starts full with a tenth of a second's worth, and each of the two readers may take one block
        // past it before it waits; the rest comes at the limit.
        double least = (SIZE - LIMIT / 10.0 - 2 * BLOCK) / LIMIT;
        assertThat(seconds).as("seconds for %d bytes at %d bytes a second", SIZE, LIMIT).isGreaterThan(least);
        assertThat(Files.readAllBytes(downloads.resolve("limited").resolve("file-0.bin")))
                .isEqualTo(Files.readAllBytes(content.resolve("file-0.bin")));
        // Endgame asks both seeds for the last blocks in flight, and what both send of them is wasted: 3 to 14
        // blocks in runs on an idle machine, 34 at a load of 10 on 2 cores, where more requests are in flight when
        // endgame starts. Under a second at the limit, a third of the content.
        assertThat(leecher.stats().wasted()).as("bytes that came twice or unasked").isLessThan(LIMIT);
    }
}
