package dev.jtorrent.metainfo;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A torrent made from an info dictionary fetched from peers, and a torrent written back as a .torrent file: the info
 * dictionary's bytes are kept as they were, so the info hash is the same, with the trackers around them.
 */
class TorrentEncodeTest {
    private static final byte[] INFO = ("d6:lengthi40000e4:name8:data.bin12:piece lengthi32768e6:pieces40:"
            + "a".repeat(40) + "e").getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void aTorrentFromFetchedMetadataHasItsInfoHashAndTheLinksTrackers() throws Exception {
        Torrent torrent = Torrent.fromInfo(INFO, List.of(List.of("http://a.example/announce"),
                List.of("udp://b.example:80")), List.of("http://seed.example/files/"));

        assertThat(torrent.infoBytes()).isEqualTo(INFO);
        assertThat(torrent.infoHash()).isEqualTo(InfoHash.of(java.security.MessageDigest.getInstance("SHA-1")
                .digest(INFO)));
        assertThat(torrent.name()).isEqualTo("data.bin");
        assertThat(torrent.trackerTiers()).containsExactly(List.of("http://a.example/announce"),
                List.of("udp://b.example:80"));
        assertThat(torrent.webSeeds()).containsExactly("http://seed.example/files/");
        assertThat(Torrent.parse(torrent.encode()).webSeeds()).containsExactly("http://seed.example/files/");
    }

    @Test
    void encodedAndParsedAgainItIsTheSameTorrent() throws Exception {
        Torrent torrent = Torrent.fromInfo(INFO, List.of(List.of("http://a.example/announce")), List.of());
        Torrent again = Torrent.parse(torrent.encode());

        assertThat(again.infoHash()).isEqualTo(torrent.infoHash());
        assertThat(again.info()).isEqualTo(torrent.info());
        assertThat(again.trackerTiers()).isEqualTo(torrent.trackerTiers());

        Torrent trackerless = Torrent.fromInfo(INFO, List.of(), List.of());
        assertThat(trackerless.trackerTiers()).isEmpty();
        assertThat(Torrent.parse(trackerless.encode()).infoHash()).isEqualTo(torrent.infoHash());
    }

    @Test
    void anInfoDictionaryThatIsNotValidIsRefused() {
        for (String bad : List.of("d4:name1:xe", "not bencode")) {
            assertThatThrownBy(() -> Torrent.fromInfo(bad.getBytes(StandardCharsets.ISO_8859_1), List.of(), List.of()))
                    .isInstanceOf(InvalidTorrentException.class);
        }
    }
}
