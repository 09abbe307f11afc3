package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three swarms of one session, each told of 20 peers, share the session's 5 connection attempts: never more are in
 * progress at once, though each swarm alone would make 8, and as attempts fail the slots go round to all three.
 * Without sockets: the connector only records the attempts, and the test fails them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionAttemptsBudgetTest {
    private static final int PIECE = 4 * BlockRef.SIZE;
    private static final int ATTEMPTS = 5;

    private record Attempt(InetSocketAddress address, ConnectionTarget swarm) {
    }

    private final ExecutorService disk = Executors.newFixedThreadPool(2);
    private final LinkedBlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger mostInProgress = new AtomicInteger();
    private final List<Swarm> swarms = new ArrayList<>();

    @AfterEach
    void stop() {
        swarms.forEach(Swarm::stop);
        disk.shutdownNow();
    }

    @Test
    void attemptsInProgressNeverExceedTheSessionsAndGoRoundToEveryTorrent() throws Exception {
        FairBudget halfOpen = new FairBudget("connection attempts", ATTEMPTS);
        SessionBudgets budgets = new SessionBudgets(new FairBudget("connections", 200), halfOpen,
                FairBudget.unlimited("in flight"), FairBudget.unlimited("read cache"), RateBudget.unlimited(),
                RateBudget.unlimited());
        for (int torrent = 0; torrent < 3; torrent++) {
            Swarm swarm = start(torrent, budgets);
            swarm.peersFound(addresses(torrent));
            swarms.add(swarm);
        }
        for (Swarm swarm : swarms) {
            await(() -> swarm.stats().knownPeers() == 20); // each has had its turn to connect
        }
        assertThat(attempts).hasSize(ATTEMPTS);

        Map<ConnectionTarget, Integer> perSwarm = new HashMap<>();
        for (int failed = 0; failed < 30; failed++) {
            Attempt attempt = attempts.poll(10, TimeUnit.SECONDS);
            assertThat(attempt).as("attempt %d", failed + ATTEMPTS).isNotNull();
            perSwarm.merge(attempt.swarm(), 1, Integer::sum);
            inProgress.decrementAndGet();
            attempt.swarm().connectFailed(attempt.address(), "refused");
        }

        assertThat(mostInProgress.get()).isEqualTo(ATTEMPTS);
        assertThat(halfOpen.peak()).isEqualTo(ATTEMPTS);
        // Every torrent gets turns. How many each gets depends on when its thread runs, on a loaded machine as
        // unevenly as 4, 11 and 15 of 30; the shares themselves are FairBudgetTest's, where no thread decides them.
        assertThat(perSwarm).hasSize(3).allSatisfy((swarm, count) -> assertThat(count).isGreaterThanOrEqualTo(2));
    }

    private Swarm start(int torrent, SessionBudgets budgets) throws Exception {
        byte[] content = new byte[PIECE * 4];
        new SplittableRandom(torrent).nextBytes(content);
        InfoDictionary info = new InfoDictionary("t" + torrent, PIECE, ScriptedSeed.pieceHashes(content, PIECE),
                false, List.of(FileEntry.of(List.of("t" + torrent), content.length, 0)), false, Optional.empty(),
                false);
        byte[] hash = new byte[20];
        hash[0] = (byte) torrent;
        Swarm swarm = new Swarm(InfoHash.of(hash), info, PeerId.random("-JT0010-"), SwarmConfig.DEFAULT,
                new MemoryStorage(PieceMap.of(info)), new PieceSet(4), new PieceSet(4), disk,
                (address, s) -> {
                    mostInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
                    attempts.add(new Attempt(address, s));
                },
                () -> { }, PieceRecorder.NONE, new SplittableRandom(torrent), DownloadOptions.ALL, budgets);
        swarm.start();
        return swarm;
    }

    private static List<InetSocketAddress> addresses(int torrent) throws Exception {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            addresses.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) torrent,
                    (byte) (i + 1)}), 6881));
        }
        return addresses;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(5);
        }
    }
}
