package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpTrackerReplyTest {
    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsCompactPeersPeers6AndTheOptionalFields() throws Exception {
        String peers = "\n\u0000\u0000\u0001\u001a\u00e1" + "\n\u0000\u0000\u0002\u0000\u0000";
        String peers6 = "\u0000".repeat(15) + "\u0001" + "\u001a\u00e2";
        AnnounceResponse r = HttpTrackerReply.announce(latin1("d8:completei3e10:incompletei4e8:intervali900e"
                + "12:min intervali60e5:peers12:" + peers + "6:peers618:" + peers6
                + "10:tracker id3:abc15:warning message4:slowe"));

        assertThat(r.peers()).containsExactly(new InetSocketAddress("10.0.0.1", 6881),
                new InetSocketAddress("::1", 6882));
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(900));
        assertThat(r.minInterval()).contains(Duration.ofSeconds(60));
        assertThat(r.seeders()).hasValue(3);
        assertThat(r.leechers()).hasValue(4);
        assertThat(r.trackerId()).contains("abc");
        assertThat(r.warning()).contains("slow");
    }

    @Test
    void readsDictionaryPeersAndDropsHostNamesAndPortZero() throws Exception {
        AnnounceResponse r = HttpTrackerReply.announce(latin1("d8:intervali60e5:peersl"
                + "d2:ip8:10.0.0.74:porti6881ee"
                + "d2:ip11:example.com4:porti6881ee"
                + "d2:ip8:10.0.0.84:porti0ee"
                + "d2:ip8:2001:db84:porti7000ee"
                + "ee"));

        assertThat(r.peers()).containsExactly(new InetSocketAddress("10.0.0.7", 6881));
    }

    /** The cap counts peers and peers6 together, and dictionary peers alike. */
    @Test
    void peersAndPeers6TogetherAreCappedAtThreeThousand() throws Exception {
        StringBuilder v4 = new StringBuilder();
        for (int i = 0; i < 2999; i++) {
            v4.append("\n\u0000").append((char) (i >> 8)).append((char) (i & 0xff)).append("\u001a\u00e1");
        }
        String v6 = ("\u0000".repeat(15) + "\u0001" + "\u001a\u00e2") + ("\u0000".repeat(15) + "\u0002" + "\u001a\u00e2");
        AnnounceResponse r = HttpTrackerReply.announce(latin1("d5:peers" + v4.length() + ":" + v4
                + "6:peers636:" + v6 + "e"));

        assertThat(r.peers()).hasSize(3000).endsWith(new InetSocketAddress("::1", 6882));

        StringBuilder dictionaries = new StringBuilder("d5:peersl");
        for (int i = 0; i < 3001; i++) {
            String ip = "10.0." + (i >> 8) + "." + (i & 0xff);
            dictionaries.append("d2:ip").append(ip.length()).append(':').append(ip).append("4:porti6881ee");
        }
        assertThat(HttpTrackerReply.announce(latin1(dictionaries + "ee")).peers()).hasSize(3000)
                .endsWith(new InetSocketAddress("10.0.11.183", 6881));
    }

    @Test
    void aMissingIntervalMeansThirtyMinutes() throws Exception {
        assertThat(HttpTrackerReply.announce(latin1("d5:peers0:e")).interval()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesRaggedCompactPeersAndNonDictionaries() {
        assertThatThrownBy(() -> HttpTrackerReply.announce(latin1("d8:intervali60e5:peers5:abcdee")))
                .hasMessage("bad tracker reply: peers has 5 bytes, not a multiple of 6");
        assertThatThrownBy(() -> HttpTrackerReply.announce(latin1("li1ee")))
                .hasMessage("bad tracker reply: the reply is a list, not a dictionary");
        assertThatThrownBy(() -> HttpTrackerReply.announce(latin1("d8:intervali-1ee")))
                .hasMessage("bad tracker reply: interval -1 is out of range");
    }

    @Test
    void aFailureReasonIsKeptToOneLine() {
        assertThatThrownBy(() -> HttpTrackerReply.announce(latin1("d14:failure reason8:go\naway\u001be")))
                .hasMessage("tracker said: go away");
    }

    @Test
    void scrapeUrlsFollowBep48() {
        assertThat(HttpQuery.scrapeUrl(URI.create("http://t.example/announce")))
                .contains(URI.create("http://t.example/scrape"));
        assertThat(HttpQuery.scrapeUrl(URI.create("http://t.example/x/announce.php?passkey=1")))
                .contains(URI.create("http://t.example/x/scrape.php?passkey=1"));
        assertThat(HttpQuery.scrapeUrl(URI.create("http://t.example/a"))).isEmpty();
        assertThat(HttpQuery.scrapeUrl(URI.create("http://t.example/announce/x"))).isEmpty();
        assertThat(HttpQuery.scrapeUrl(URI.create("http://announce.example"))).isEmpty();
    }
}
