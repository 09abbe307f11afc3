package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonTest {
    @TempDir
    Path dir;

    static DaemonConfig config(Path dir) {
        SessionConfig session = SessionConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .dht(false)
                .lsd(false)
                .downloadDirectory(dir.resolve("downloads"))
                .resumeDirectory(dir.resolve("config").resolve("resume"))
                .build();
        HttpAccess open = new HttpAccess(InetAddress::isLoopbackAddress, host -> true, Optional.empty());
        return new DaemonConfig(session, dir.resolve("config"), InetAddress.getLoopbackAddress(), 0, open);
    }

    static byte[] metainfo(Path dir, String name, int size) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, new byte[size]);
        TorrentBuilder builder = TorrentBuilder.of(file).withPieceLength(Optional.of(16 * 1024));
        return builder.build(builder.plan(), new AtomicLong());
    }

    @Test
    void startsItsSessionAndHttpFrontAndKeepsTheTorrentsAdded() throws Exception {
        try (Daemon daemon = Daemon.start(config(dir))) {
            assertThat(daemon.rpcPort()).isPositive();
            assertThat(Files.isDirectory(dir.resolve("config"))).isTrue();

            byte[] metainfo = metainfo(dir, "a.bin", 40_000);
            AddOptions paused = AddOptions.builder().paused(true).build();
            TorrentTable.Added first = daemon.torrents().add(metainfo, paused, List.of("tv"), "");
            TorrentTable.Added again = daemon.torrents().add(metainfo, paused, List.of(), "");

            assertThat(first.duplicate()).isFalse();
            assertThat(again.duplicate()).isTrue();
            assertThat(again.torrent()).isSameAs(first.torrent());
            assertThat(daemon.torrents().all()).containsExactly(first.torrent());
            assertThat(daemon.session().torrents()).containsExactly(first.torrent().handle());

            HttpResponse<String> unknown = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.rpcPort() + "/no/such/path"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);

            HttpResponse<String> qbittorrent = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.rpcPort() + "/api/v2/app/version"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(qbittorrent.body()).isEqualTo("v4.6.7");
        }
    }

    @Test
    void aStartThatCannotOpenItsHttpPortFailsAndLeavesTheStateAsItWas() throws Exception {
        try (Daemon daemon = Daemon.start(config(dir))) {
            daemon.torrents().add(metainfo(dir, "kept.bin", 20_000), AddOptions.builder().paused(true).build(),
                    List.of("x"), "");
        }
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DaemonConfig clash = config(dir);
            DaemonConfig onTakenPort = new DaemonConfig(clash.session(), clash.configDir(), clash.rpcBind(),
                    taken.getLocalPort(), clash.access());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Daemon.start(onTakenPort))
                    .isInstanceOf(java.io.IOException.class);
        }
        try (Daemon daemon = Daemon.start(config(dir))) {
            assertThat(daemon.torrents().all()).singleElement()
                    .satisfies(torrent -> assertThat(torrent.labels()).containsExactly("x"));
        }
    }
}
