package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackerTiersTest {
    private final List<String> opened = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();

    /** Clients that record their opening and closing, and are never asked anything here. */
    private final TrackerOpener fakes = url -> {
        opened.add(url);
        return new Tracker() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public AnnounceResponse announce(AnnounceRequest r) {
                throw new AssertionError("not announced to in these tests");
            }

            @Override
            public List<ScrapeResult> scrape(List<InfoHash> infoHashes) {
                throw new AssertionError("not scraped in these tests");
            }

            @Override
            public void close() {
                closed.add(url);
            }
        };
    };

    /** A generator whose shuffles leave every list as it was, so tests can state the order. */
    private static final RandomGenerator NO_SHUFFLE = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public int nextInt(int bound) {
            return bound - 1;
        }
    };

    @Test
    void replacingKeepsTheOrderAndClientsOfTheTrackersKeptAndClosesTheOthers() throws Exception {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a1", "http://a2", "http://a3"),
                List.of("http://b1")), fakes, NO_SHUFFLE);
        tiers.answered("http://a3");
        tiers.client("http://a3");
        tiers.client("http://b1");

        tiers.replace(List.of(List.of("http://new", "http://a1", "http://a3"), List.of(), List.of("http://c1")));

        assertThat(tiers.tiers()).containsExactly(List.of("http://a3", "http://a1", "http://new"),
                List.of("http://c1"));
        assertThat(closed).containsExactly("http://b1");
        assertThat(tiers.client("http://a3")).isNotNull();
        assertThat(opened).containsExactly("http://a3", "http://b1");
        assertThatThrownBy(() -> tiers.client("http://b1")).isInstanceOf(TrackerException.class);
    }

    @Test
    void urlsListEveryTrackerTierByTier() {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a1", "http://a2"), List.of(),
                List.of("http://b1", "http://b2")), fakes, NO_SHUFFLE);

        assertThat(tiers.urls()).containsExactly("http://a1", "http://a2", "http://b1", "http://b2");
        assertThat(tiers.tiers()).as("the empty tier dropped")
                .containsExactly(List.of("http://a1", "http://a2"), List.of("http://b1", "http://b2"));
    }

    @Test
    void aTrackerThatAnsweredMovesToTheFrontOfItsTierAndNoFurther() {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a1", "http://a2"),
                List.of("http://b1", "http://b2", "http://b3")), fakes, NO_SHUFFLE);

        tiers.answered("http://b3");

        assertThat(tiers.tiers()).containsExactly(List.of("http://a1", "http://a2"),
                List.of("http://b3", "http://b1", "http://b2"));
        assertThat(tiers.urls()).containsExactly("http://a1", "http://a2", "http://b3", "http://b1", "http://b2");
    }

    @Test
    void aUrlListedTwiceCountsOnceWhereItFirstAppears() {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a", "http://b"), List.of("http://b"),
                List.of("http://c", "http://a")), fakes, NO_SHUFFLE);

        assertThat(tiers.tiers()).containsExactly(List.of("http://a", "http://b"), List.of("http://c"));
    }

    @Test
    void eachTierIsShuffledOnceWithTheGivenRandomness() {
        List<String> tier = List.of("http://1", "http://2", "http://3", "http://4", "http://5");
        List<List<String>> first = new TrackerTiers(List.of(tier, List.of("http://x")), fakes,
                new SplittableRandom(7)).tiers();
        List<List<String>> again = new TrackerTiers(List.of(tier, List.of("http://x")), fakes,
                new SplittableRandom(7)).tiers();

        assertThat(first).isEqualTo(again);
        assertThat(first.getFirst()).isNotEqualTo(tier);
        assertThat(Set.copyOf(first.getFirst())).isEqualTo(Set.copyOf(tier));
        assertThat(first.get(1)).containsExactly("http://x");
    }

    @Test
    void aClientIsOpenedOnFirstUseAndKept() throws Exception {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a", "http://b")), fakes, NO_SHUFFLE);
        assertThat(opened).isEmpty();

        Tracker a = tiers.client("http://a");

        assertThat(tiers.client("http://a")).isSameAs(a);
        assertThat(opened).containsExactly("http://a");
    }

    @Test
    void anUnsupportedSchemeIsThatTrackersError() {
        TrackerTiers tiers = TrackerTiers.of(List.of(List.of("wss://tracker.example/announce", "http://b")),
                TrackerConfig.DEFAULTS, NO_SHUFFLE);

        assertThatThrownBy(() -> tiers.client("wss://tracker.example/announce")).isInstanceOf(TrackerException.class)
                .hasMessage("unsupported tracker scheme 'wss': wss://tracker.example/announce");
    }

    @Test
    void onlyTheTorrentsOwnTrackersHaveClients() {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a")), fakes, NO_SHUFFLE);

        assertThatThrownBy(() -> tiers.client("http://elsewhere")).isInstanceOf(TrackerException.class)
                .hasMessage("not one of the torrent's trackers: http://elsewhere");
        assertThat(opened).isEmpty();
    }

    @Test
    void closingClosesEveryClientAndOpensNoMore() throws Exception {
        TrackerTiers tiers = new TrackerTiers(List.of(List.of("http://a"), List.of("http://b")), fakes, NO_SHUFFLE);
        tiers.client("http://a");
        tiers.client("http://b");

        tiers.close();

        assertThat(closed).containsExactlyInAnyOrder("http://a", "http://b");
        assertThatThrownBy(() -> tiers.client("http://a")).hasMessage("tracker client is closed");
    }
}
