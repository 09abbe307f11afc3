package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand torrents in one session, as reliability.md's load cases ask: each costs a few KiB of heap and no
 * thread, an idle one no CPU, and a download among them works. Closing the session stops them all at once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ManyTorrentsTest {
    private static final int TORRENTS = 10_000;
    private static final Duration IDLE_MEASURE = Duration.ofSeconds(5);
    /** What the idle torrents' threads may use at most, in cores: 5% of one. */
    private static final double IDLE_CORES = 0.05;

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
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        long before = usedHeap();
        long start = System.nanoTime();
        for (int i = 0; i < TORRENTS; i++) {
            Adds.checked(seeder, torrents.get(i), contents.get(i).getParent()); // stopped by the session
        }
        double addSeconds = (System.nanoTime() - start) / 1e9;
        long after = usedHeap();
        int threadsAfter = threads.getThreadCount();
        Thread.sleep(1000); // for what the adds left (compilations, the collector's work) to settle
        IdleCpu idle = IdleCpu.over(IDLE_MEASURE, threads);
        System.out.printf("%d torrents added in %.1f s, %d KiB of heap each, %d threads (%d before), idle at %.2f%% "
                + "of a core (the process: %.2f%%)%n", TORRENTS, addSeconds, (after - before) / TORRENTS / 1024,
                threadsAfter, threadsBefore, idle.threads() * 100, idle.process() * 100);

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle last = swarm.add(swarm.session(), torrents.getLast(), downloads);
        last.completion().get(60, TimeUnit.SECONDS);
        assertThat((after - before) / TORRENTS).as("heap per torrent").isLessThan(64 * 1024);
        // Threads that grow with the machine, not with the torrents: a disk thread and a carrier of virtual threads
        // per core. A thread per torrent (or per check) would add ten thousand.
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(threadsAfter - threadsBefore).as("threads started by the adds")
                .isLessThanOrEqualTo(2 * cores + 16);
        // A torrent that woke once a second would cost at least a thread's wake-up and park a second, some
        // microseconds on any machine: ten thousand of them a few percent of a core on the fastest, and 110% to
        // 170% here when every torrent ticked. Idle torrents that wait for events cost nothing at all: what is left
        // is whatever else of the test JVM runs meanwhile.
        assertThat(idle.threads()).as("cores busy while the torrents idle").isLessThan(IDLE_CORES);
    }

    /**
     * The CPU used over a time, as a share of one core: by the JVM's platform threads, where the torrents' work runs
     * (virtual threads on their carriers), and by the whole process, which adds the collector's and the compilers'
     * threads. Those do what the tests before left them, in a JVM the whole suite shares, so only the first is held
     * to a bound.
     */
    private record IdleCpu(double threads, double process) {
        static IdleCpu over(Duration time, ThreadMXBean threads) throws InterruptedException {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long process = os.getProcessCpuTime();
            Map<Long, Long> before = threadCpu(threads);
            long start = System.nanoTime();
            Thread.sleep(time.toMillis());
            Map<Long, Long> after = threadCpu(threads);
            double wall = System.nanoTime() - start;
            long used = 0;
            for (Map.Entry<Long, Long> thread : after.entrySet()) {
                used += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
            }
            return new IdleCpu(used / wall, (os.getProcessCpuTime() - process) / wall);
        }

        /** The CPU nanoseconds of each live platform thread so far, by its id. */
        private static Map<Long, Long> threadCpu(ThreadMXBean threads) {
            Map<Long, Long> cpu = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                long nanos = threads.getThreadCpuTime(id);
                if (nanos >= 0) { // -1: it ended meanwhile
                    cpu.put(id, nanos);
                }
            }
            return cpu;
        }
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
