package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that answers every request gets twice as many in flight after each round trip: the pipeline must not wait
 * for the rate meter, whose first rate comes seconds after the connection, by which time a fast peer on a LAN has
 * sent most of a gigabyte.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlowStartTest {
    private static final int PIECE = 4 * BlockRef.SIZE;
    private static final int PIECES = 256;

    @Test
    void eachRoundTripDoublesTheRequestsInFlight() throws Exception {
        byte[] content = new byte[PIECE * PIECES];
        new SplittableRandom(9).nextBytes(content);
        InfoDictionary info = new InfoDictionary("pipeline", PIECE, ScriptedSeed.pieceHashes(content, PIECE), false,
                List.of(FileEntry.of(List.of("pipeline"), content.length, 0)), false, Optional.empty(), false);
        InfoHash infoHash = InfoHash.of(new byte[20]);
        ExecutorService disk = Executors.newFixedThreadPool(2);
        Swarm swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), SwarmConfig.DEFAULT,
                new MemoryStorage(PieceMap.of(info)), new PieceSet(PIECES), new PieceSet(PIECES), disk,
                (address, s) -> { }, () -> { }, PieceRecorder.NONE, new SplittableRandom(1));
        swarm.start();
        try (ScriptedSeed seed = ScriptedSeed.connect(swarm, infoHash, info, content)) {
            // Each round the seed answers every request in flight. Requests are topped up in batches of at least a
            // quarter of the pipeline, so up to that much of it may be unasked at any moment: each round brings
            // more than 1.5 times the requests of the round before, where a fixed pipeline would bring as many.
            List<Message.Request> requests = awaitRequests(seed, Pipeline.INITIAL_REQUESTS, 0);
            for (int round = 1; round <= 3; round++) {
                for (Message.Request r : requests) {
                    seed.answer(r);
                }
                requests = awaitRequests(seed, requests.size() * 3 / 2 + 1, round);
            }
        } finally {
            swarm.stop();
            disk.shutdownNow();
        }
    }

    /**
     * Reads requests until none has come for half a second, and checks that there are at least {@code count}. The
     * rounds take well under the two seconds the swarm's rate meter needs for a first rate, so only slow start can
     * make the pipeline grow meanwhile.
     */
    private static List<Message.Request> awaitRequests(ScriptedSeed seed, int count, int round) throws Exception {
        List<Message.Request> requests = seed.requestsUntilQuiet(500);
        assertThat(requests.size()).as("requests in flight after round %d", round).isGreaterThanOrEqualTo(count);
        return requests;
    }
}
