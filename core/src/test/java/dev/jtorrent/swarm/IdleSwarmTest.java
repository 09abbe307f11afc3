package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A swarm without peers keeps no time (see {@link Swarm}); what it owes at a set time is still done, and what it
 * publishes when its last peer goes is true without a tick to follow.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleSwarmTest {
    private static final int PIECE = 4 * BlockRef.SIZE;
    private static final int PIECES = 64;

    private final ExecutorService disk = Executors.newFixedThreadPool(2);
    private final byte[] content = new byte[PIECE * PIECES];
    private final InfoDictionary info;
    private final InfoHash infoHash = InfoHash.of(new byte[20]);
    private Swarm swarm;

    IdleSwarmTest() throws Exception {
        new SplittableRandom(3).nextBytes(content);
        info = new InfoDictionary("idle", PIECE, ScriptedSeed.pieceHashes(content, PIECE), false,
                List.of(FileEntry.of(List.of("idle"), content.length, 0)), false, Optional.empty(), false);
    }

    @AfterEach
    void stop() {
        swarm.stop();
        disk.shutdownNow();
    }

    @Test
    void withoutPeersWhatIsUnrecordedIsStillRecordedWhenDueAndOnlyThen() throws Exception {
        LinkedBlockingQueue<Long> records = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        swarm = start(SwarmConfig.DEFAULT.withRecordInterval(Duration.ofMillis(300)),
                (sequence, pieces) -> records.add(System.nanoTime()));

        // The start's check is worth a record; no event comes to wake the swarm for it.
        Long recorded = records.poll(10, TimeUnit.SECONDS);
        assertThat(recorded).as("recorded").isNotNull();
        assertThat(recorded - start).as("nanoseconds to the record").isGreaterThanOrEqualTo(300_000_000L);
        assertThat(records.poll(1, TimeUnit.SECONDS)).as("recorded again with nothing new").isNull();
    }

    @Test
    void whenTheLastPeerGoesTheStatsSaySoAndThatNothingMoves() throws Exception {
        swarm = start(SwarmConfig.DEFAULT, PieceRecorder.NONE);
        try (ScriptedSeed seed = ScriptedSeed.connect(swarm, infoHash, info, content)) {
            answerRequests(seed);
            while (swarm.stats().downRate() == 0) { // the rate meter's first rate comes at its second tick
                Thread.sleep(10);
            }
            assertThat(swarm.stats().peers()).isEqualTo(1);
        }
        while (swarm.stats().peers() > 0) {
            Thread.sleep(10);
        }
        SwarmStats stats = swarm.stats();
        assertThat(stats.downloaded()).isPositive();
        assertThat(stats.downRate()).as("download rate").isZero();
        assertThat(stats.upRate()).as("upload rate").isZero();
    }

    private Swarm start(SwarmConfig config, PieceRecorder recorder) {
        Swarm started = new Swarm(infoHash, info, PeerId.random("-JT0010-"), config,
                new MemoryStorage(PieceMap.of(info)), new PieceSet(PIECES), new PieceSet(PIECES), disk,
                (address, s) -> { }, () -> { }, recorder, new SplittableRandom(1));
        started.start();
        return started;
    }

    /** Answers the requests the swarm sent before it stopped asking for half a second. */
    private static void answerRequests(ScriptedSeed seed) throws Exception {
        List<Message.Request> requests = seed.requestsUntilQuiet(500);
        assertThat(requests).as("requests").isNotEmpty();
        for (Message.Request r : requests) {
            seed.answer(r);
        }
    }
}
