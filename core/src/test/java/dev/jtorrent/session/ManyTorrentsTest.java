package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand torrents in one session, as reliability.md's load cases ask: each costs a few KiB of heap (and,
 * for now, a thread of its own), adding them takes a couple of milliseconds each, and a download among them works.
 * Closing the session stops them all at once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ManyTorrentsTest {
    private static final int TORRENTS = 10_000;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void tenThousandTorrentsInOneSession() throws Exception {
        List<Torrent> torrents = new ArrayList<>();
        List<Path> contents = new ArrayList<>();
        for (int i = 0; i < TORRENTS; i++) {
            Path content = swarm.content("t" + i, 1000);
            contents.add(content);
            // Only the last is announced, and downloaded below: the rest are here for their cost alone.
            torrents.add(i == TORRENTS - 1 ? swarm.torrentOf(content, 16 * 1024)
                    : LoopbackSwarm.torrentOf(content, 16 * 1024, List.of()));
        }
        Session seeder = swarm.session();
        long before = usedHeap();
        long start = System.nanoTime();
        for (int i = 0; i < TORRENTS; i++) {
            seeder.add(torrents.get(i), contents.get(i).getParent(), new AtomicLong()); // stopped by the session
        }
        long after = usedHeap();
        System.out.printf("%d torrents added in %.1f s, %d KiB of heap each, %d threads%n", TORRENTS,
                (System.nanoTime() - start) / 1e9, (after - before) / TORRENTS / 1024,
                ManagementFactory.getThreadMXBean().getThreadCount());

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle last = swarm.add(swarm.session(), torrents.getLast(), downloads);
        last.completion().get(60, TimeUnit.SECONDS);
        assertThat((after - before) / TORRENTS).as("heap per torrent").isLessThan(64 * 1024);
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
