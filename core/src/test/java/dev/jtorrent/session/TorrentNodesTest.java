package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A torrent's {@code nodes} (BEP 5) as the session takes them: well-formed ones only, and a bounded number. */
class TorrentNodesTest {
    @TempDir
    Path dir;

    private Torrent withNodes(List<String> nodes) throws Exception {
        Path content = Files.createDirectories(dir.resolve("c"));
        Files.write(content.resolve("f.bin"), new byte[1000]);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        return new Torrent(torrent.infoHash(), torrent.info(), torrent.infoBytes(), torrent.trackerTiers(),
                torrent.webSeeds(), torrent.httpSeeds(), nodes, torrent.creationDate(), torrent.comment(),
                torrent.createdBy());
    }

    @Test
    void takesWellFormedNodesAndSkipsTheRest() throws Exception {
        Torrent torrent = withNodes(List.of("router.example:6881", "[2001:db8::1]:6882", "no-port", "host:0",
                "bad host:1"));
        assertThat(Session.dhtNodesOf(torrent)).containsExactly(
                InetSocketAddress.createUnresolved("router.example", 6881),
                InetSocketAddress.createUnresolved("2001:db8::1", 6882));
    }

    @Test
    void takesAtMostTheBound() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < Session.MAX_TORRENT_NODES + 100; i++) {
            many.add("node" + i + ".example:6881");
        }
        assertThat(Session.dhtNodesOf(withNodes(many))).hasSize(Session.MAX_TORRENT_NODES)
                .first().isEqualTo(InetSocketAddress.createUnresolved("node0.example", 6881));
    }
}
