package dev.jtorrent.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.Torrent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seed under an upload limit sends no faster than the limit: 3 MiB at 1 MiB a second cannot arrive in less than
 * about three seconds, however fast loopback is (a lower bound, so a slow machine cannot make it fail), and every
 * byte still arrives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadLimitSwarmTest {
    private static final long LIMIT = 1024 * 1024;
    private static final int SIZE = 3 * 1024 * 1024;
    private static final int BLOCK = 16 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aLimitedSeedSendsNoFasterThanItsLimit() throws Exception {
        Path content = swarm.content("limited", SIZE);
        Torrent torrent = swarm.torrentOf(content, 64 * 1024);
        TorrentHandle seed = swarm.add(swarm.session(), torrent,
                AddOptions.builder().downloadDirectory(content.getParent()).uploadLimit(LIMIT).build());
        assertThat(seed.stats().complete()).isTrue();

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        long started = System.nanoTime();
        TorrentHandle leecher = swarm.add(swarm.session(), torrent, downloads);
        leecher.completion().get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;

        // The bucket starts full with a tenth of a second's worth, and a block may take it into debt by one block;
        // the rest goes at the limit.
        double least = (SIZE - LIMIT / 10.0 - BLOCK) / LIMIT;
        assertThat(seconds).as("seconds for %d bytes at %d bytes a second", SIZE, LIMIT).isGreaterThan(least);
        assertThat(Files.readAllBytes(downloads.resolve("limited").resolve("file-0.bin")))
                .isEqualTo(Files.readAllBytes(content.resolve("file-0.bin")));
        // The statistics are a snapshot taken at each of the swarm's ticks, once a second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seed.stats().uploaded() < SIZE && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(seed.stats().uploaded()).isEqualTo(SIZE);
    }
}
