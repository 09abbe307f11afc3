package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.PeerStatus.Flag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sync/torrentPeers} and {@code torrents/pieceStates} over HTTP. */
class DetailQueriesTest {
    @TempDir
    Path dir;
    QbtFixture qbt;

    @BeforeEach
    void start() throws Exception {
        qbt = new QbtFixture(dir, QbtLimits.DEFAULTS, Clock.systemUTC(), true);
        qbt.login();
    }

    @AfterEach
    void stop() throws Exception {
        qbt.close();
    }

    DaemonTorrent add(String name, int size, String savePath, boolean paused) throws Exception {
        assertThat(qbt.upload(Map.of("savepath", savePath, "paused", String.valueOf(paused)),
                Map.of(name + ".torrent", qbt.metainfo(name, size))).body()).isEqualTo("Ok.");
        return qbt.table.all().getLast();
    }

    @Test
    void pieceStatesAreTwoForPiecesOnDiskAndZeroForTheRest() throws Exception {
        // 40,000 bytes in 16 KiB pieces: three pieces. Its data is where the fixture made it, so it checks whole
        // (a torrent is checked when it starts, so these are added running).
        DaemonTorrent whole = add("whole", 40_000, dir.resolve("content").toString(), false);
        whole.handle().checked().get(30, TimeUnit.SECONDS);
        java.nio.file.Files.createDirectories(dir.resolve("elsewhere"));
        DaemonTorrent absent = add("absent", 40_000, dir.resolve("elsewhere").toString(), false);
        absent.handle().checked().get(30, TimeUnit.SECONDS);

        JsonNode have = QbtApiTest.json(qbt.get("torrents/pieceStates?hash=" + whole.infoHash().hex()));
        assertThat(have.toString()).isEqualTo("[2,2,2]");
        JsonNode none = QbtApiTest.json(qbt.get("torrents/pieceStates?hash=" + absent.infoHash().hex()));
        assertThat(none.toString()).isEqualTo("[0,0,0]");
    }

    @Test
    void aTorrentWaitingForMetadataHasNoPiecesYet() throws Exception {
        String hash = "0123456789abcdef0123456789abcdef01234567";
        assertThat(qbt.post("torrents/add", Map.of("urls", "magnet:?xt=urn:btih:" + hash, "paused", "true"))
                .body()).isEqualTo("Ok.");
        assertThat(QbtApiTest.json(qbt.get("torrents/pieceStates?hash=" + hash)).toString()).isEqualTo("[]");
    }

    @Test
    void unknownOrMissingHashesAreRefusedAsQbittorrentRefusesThem() throws Exception {
        for (String path : new String[]{"torrents/pieceStates", "sync/torrentPeers"}) {
            assertThat(qbt.get(path).statusCode()).as(path).isEqualTo(400);
            assertThat(qbt.get(path + "?hash=0000000000000000000000000000000000000000").statusCode()).as(path)
                    .isEqualTo(404);
            assertThat(qbt.get(path + "?hash=nothex").statusCode()).as(path).isEqualTo(404);
        }
        qbt.sid = null;
        assertThat(qbt.get("sync/torrentPeers?hash=0000000000000000000000000000000000000000").statusCode())
                .isEqualTo(403);
    }

    @Test
    void torrentPeersIsAFullUpdateWithAFreshRidEachTime() throws Exception {
        DaemonTorrent torrent = add("lonely", 1000, dir.resolve("content").toString(), true);
        JsonNode first = QbtApiTest.json(qbt.get("sync/torrentPeers?rid=0&hash=" + torrent.infoHash().hex()));
        assertThat(first.get("full_update").asBoolean()).isTrue();
        assertThat(first.get("show_flags").asBoolean()).isTrue();
        assertThat(first.get("peers").size()).isZero();
        JsonNode second = QbtApiTest.json(qbt.get("sync/torrentPeers?rid=" + first.get("rid").asInt() + "&hash="
                + torrent.infoHash().hex()));
        assertThat(second.get("rid").asInt()).isGreaterThan(first.get("rid").asInt());
        assertThat(second.get("full_update").asBoolean()).isTrue();
    }

    @Test
    void peerFlagsAreQbittorrentsLetters() {
        DetailQueries.Flags downloading = DetailQueries.flags(EnumSet.of(Flag.OUTGOING, Flag.INTERESTED_IN,
                Flag.DOWNLOADING_FROM, Flag.ENCRYPTED));
        assertThat(downloading.letters()).isEqualTo("D E");
        assertThat(downloading.descriptions()).isEqualTo("D = Interested (local) and unchoked (peer)\n"
                + "E = Encrypted traffic");
        assertThat(DetailQueries.flags(EnumSet.of(Flag.INTERESTED_IN_US, Flag.UTP)).letters()).isEqualTo("u I P");
        assertThat(DetailQueries.flags(EnumSet.of(Flag.OUTGOING, Flag.INTERESTED_IN, Flag.INTERESTED_IN_US,
                Flag.UPLOADING_TO, Flag.SNUBBED)).letters()).isEqualTo("d U S");
        assertThat(DetailQueries.flags(EnumSet.of(Flag.OUTGOING, Flag.DOWNLOADING_FROM, Flag.UPLOADING_TO))
                .letters()).isEqualTo("K ?");
        assertThat(DetailQueries.flags(EnumSet.of(Flag.OUTGOING)).letters()).isEmpty();
    }
}
