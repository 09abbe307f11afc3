package dev.jtorrent.tracker;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds arbitrary bytes to the HTTP tracker reply reader, as announce and as scrape replies: each is read or refused
 * with a {@link TrackerException}, never anything else, and what is read keeps {@link AnnounceResponse}'s promises.
 * Run by {@code ./mvnw verify} on its seed corpus in
 * {@code src/test/resources/dev/jtorrent/tracker/HttpTrackerReplyFuzzTestInputs} with the unit tests, then fuzzed
 * for {@code fuzz.duration} (see core/pom.xml).
 */
class HttpTrackerReplyFuzzTest {
    /** What {@link HttpTrackerReply#oneLine} leaves at most: 200 characters and an ellipsis. */
    private static final int MAX_TEXT = 203;
    /** An error is a sentence of our own around at most one such text. */
    private static final int MAX_MESSAGE = 300;

    // maxDuration applies when the test is fuzzed from an IDE; the Maven build overrides it with fuzz.duration.
    @FuzzTest(maxDuration = "30s")
    void readsAnyReplyOrRefusesItWithATrackerException(byte[] body) {
        try {
            AnnounceResponse r = HttpTrackerReply.announce(body);
            List<InetSocketAddress> peers = r.peers();
            assertThat(peers.size()).isLessThanOrEqualTo(AnnounceResponse.MAX_PEERS);
            assertThat(new HashSet<>(peers)).as("no peer twice").hasSameSizeAs(peers);
            for (InetSocketAddress peer : peers) {
                assertThat(peer.isUnresolved()).as("%s is an address, never a name", peer).isFalse();
                assertThat(peer.getPort()).isBetween(1, 65535);
            }
            assertThat(r.interval().isNegative()).isFalse();
            assertThat(r.minInterval().filter(d -> d.isNegative())).isEmpty();
            assertThat(r.seeders().orElse(0)).isNotNegative();
            assertThat(r.leechers().orElse(0)).isNotNegative();
            r.warning().ifPresent(t -> assertOneLine(t, MAX_TEXT));
            r.trackerId().ifPresent(t -> assertOneLine(t, MAX_TEXT));
        } catch (TrackerException refused) {
            assertOneLine(refused.getMessage(), MAX_MESSAGE);
        }
        try {
            for (ScrapeResult s : HttpTrackerReply.scrape(body)) {
                assertThat(List.of(s.seeders(), s.completed(), s.leechers())).allMatch(n -> n >= 0);
            }
        } catch (TrackerException refused) {
            assertOneLine(refused.getMessage(), MAX_MESSAGE);
        }
    }

    /**
     * Text from a tracker ends up in logs and on terminals: one line of bounded length, without control characters or
     * invisible format ones (a bidi override could make it read as something else).
     */
    private static void assertOneLine(String text, int max) {
        assertThat(text.length()).as("length of %s", text).isLessThanOrEqualTo(max);
        assertThat(text.codePoints()).as("%s", text)
                .noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }
}
