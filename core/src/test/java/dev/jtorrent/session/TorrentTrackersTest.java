package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A torrent's trackers edited by hand: BEP 12 tiers kept whole, bad URLs refused in one line, the bound. */
class TorrentTrackersTest {
    private final TorrentTrackers trackers = new TorrentTrackers(List.of(List.of("http://a/announce",
            "http://b/announce"), List.of(), List.of("udp://c:6969"), List.of("http://a/announce")), false);

    @Test
    void emptyTiersAndRepeatedUrlsAreDroppedAtTheStart() {
        assertThat(trackers.tiers()).containsExactly(List.of("http://a/announce", "http://b/announce"),
                List.of("udp://c:6969"));
        assertThat(trackers.edited()).isFalse();
    }

    @Test
    void aTrackerIsAddedToATierOrToANewLastOne() {
        trackers.add("  https://d/announce ", 0);
        trackers.add("udp://e:80/announce", 2);

        assertThat(trackers.tiers()).containsExactly(List.of("http://a/announce", "http://b/announce",
                "https://d/announce"), List.of("udp://c:6969"), List.of("udp://e:80/announce"));
        assertThat(trackers.edited()).isTrue();
    }

    @Test
    void removingTheLastTrackerOfATierRemovesTheTier() {
        assertThat(trackers.remove("udp://c:6969")).isTrue();
        assertThat(trackers.remove("udp://c:6969")).isFalse();

        assertThat(trackers.tiers()).containsExactly(List.of("http://a/announce", "http://b/announce"));
    }

    @Test
    void aReplacedTrackerKeepsItsPlace() {
        trackers.replace("http://a/announce", "http://z/announce");

        assertThat(trackers.tiers().getFirst()).containsExactly("http://z/announce", "http://b/announce");
        assertThatThrownBy(() -> trackers.replace("http://nope/announce", "http://y/announce"))
                .hasMessage("not a tracker of the torrent: http://nope/announce");
        assertThatThrownBy(() -> trackers.replace("http://z/announce", "http://b/announce"))
                .hasMessage("already a tracker of the torrent: http://b/announce");
    }

    @Test
    void badUrlsAreRefusedWithOneLineEach() {
        assertThatThrownBy(() -> trackers.add("ftp://x/announce", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an http, https or udp tracker URL: ftp://x/announce");
        assertThatThrownBy(() -> trackers.add("udp://x/announce", 0))
                .hasMessage("a UDP tracker URL without a port: udp://x/announce");
        assertThatThrownBy(() -> trackers.add("http:///announce", 0))
                .hasMessage("a tracker URL without a host: http:///announce");
        assertThatThrownBy(() -> trackers.add("http://x/a b", 0)).hasMessageStartingWith("a tracker URL with white");
        assertThatThrownBy(() -> trackers.add("http://x/\nannounce", 0)).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> trackers.add("", 0)).hasMessage("an empty tracker URL");
        assertThatThrownBy(() -> trackers.add("http://[x/", 0)).hasMessageStartingWith("not a URL: ");
        assertThatThrownBy(() -> trackers.add("http://x/" + "a".repeat(TorrentTrackers.MAX_URL_LENGTH), 0))
                .hasMessageContaining("more than " + TorrentTrackers.MAX_URL_LENGTH);
        assertThatThrownBy(() -> trackers.add("http://a/announce", 1))
                .hasMessage("already a tracker of the torrent: http://a/announce");
        assertThatThrownBy(() -> trackers.add("http://x/announce", 3)).hasMessageStartingWith("no tier 3");
        assertThat(trackers.edited()).isFalse();
    }

    @Test
    void noMoreThanTheBoundOfTrackers() {
        TorrentTrackers many = new TorrentTrackers(List.of(), false);
        for (int i = 0; i < TorrentTrackers.MAX_TRACKERS; i++) {
            many.add("http://t" + i + "/announce", i == 0 ? 0 : 1);
        }

        assertThatThrownBy(() -> many.add("http://one-more/announce", 0))
                .hasMessage("the torrent has " + TorrentTrackers.MAX_TRACKERS + " trackers, the most it may");
    }

    @Test
    void theMetadatasListReplacesAMagnetLinksUnlessEdited() {
        TorrentTrackers fromLink = new TorrentTrackers(List.of(List.of("http://link/announce")), false);
        fromLink.metadataArrived(List.of(List.of("http://meta/announce")));
        assertThat(fromLink.tiers()).containsExactly(List.of("http://meta/announce"));

        fromLink.add("http://mine/announce", 1);
        fromLink.metadataArrived(List.of(List.of("http://other/announce")));
        assertThat(fromLink.tiers()).containsExactly(List.of("http://meta/announce"),
                List.of("http://mine/announce"));
    }
}
