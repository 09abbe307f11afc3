package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.dht.Dht;
import dev.jtorrent.dht.DhtConfig;
import dev.jtorrent.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jtorrent's DHT node joins a small DHT of libtorrent sessions on loopback, each in its own /24 (127.0.60.1,
 * 127.0.61.1, ...) as libtorrent's defaults require, bootstrapping from one of them as from a router. Both ways:
 * jtorrent's lookup finds the address a libtorrent session announced, and a libtorrent session's
 * {@code dht_get_peers} finds the address jtorrent announced.
 */
class DhtWithLibtorrentIT {
    private static final int FIRST_SUBNET = 60;
    private static final int NODES = 5;
    private static final String JTORRENT_IP = "127.0.50.1";
    /** The port jtorrent announces: any port, since no one connects to it here. */
    private static final int ANNOUNCED_PORT = 51413;
    private static final InfoHash FROM_LIBTORRENT = InfoHash.fromHex("1111111111111111111111111111111111111111");
    private static final InfoHash FROM_JTORRENT = InfoHash.fromHex("2222222222222222222222222222222222222222");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(240) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void jtorrentAndLibtorrentFindEachOthersAnnounces() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        LibtorrentDht swarm = LibtorrentDht.start(libtorrent, dir, FIRST_SUBNET, NODES, FROM_LIBTORRENT,
                FROM_JTORRENT, WAIT.multipliedBy(3));
        started.add(swarm);

        DhtConfig config = DhtConfig.builder()
                .bind(new InetSocketAddress(Loopback.address(JTORRENT_IP), 0))
                .routers(List.of(swarm.node(0)))
                .allowLocalAddresses(true)
                .build();
        Dht dht = Dht.start(config);
        started.add(dht);
        dht.bootstrapped().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Await.untilTrue("jtorrent's routing table to hold libtorrent nodes", WAIT,
                () -> dht.routingTableSize() >= 2, swarm::describe);

        // libtorrent -> jtorrent: session 1 announces itself; jtorrent's lookup finds it.
        InetSocketAddress seeder = swarm.node(1);
        long lookingUp = System.nanoTime();
        Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
        // libtorrent announces a few seconds after it starts, and again every 3 s: look up until it did.
        Await.untilTrue("jtorrent's get_peers to find libtorrent's announce", WAIT, () -> {
            dht.getPeers(FROM_LIBTORRENT, found::add).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return found.contains(seeder);
        }, () -> "found " + found + "\n" + swarm.describe());

        double foundSeconds = (System.nanoTime() - lookingUp) / 1e9;

        // jtorrent -> libtorrent: jtorrent announces; session 2's dht_get_peers finds it.
        long announcing = System.nanoTime();
        int stored = dht.announce(FROM_JTORRENT, ANNOUNCED_PORT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(stored).as("libtorrent nodes that acknowledged jtorrent's announce\n%s", swarm.describe())
                .isGreaterThanOrEqualTo(1);
        swarm.awaitFound(JTORRENT_IP, ANNOUNCED_PORT, WAIT);
        System.out.printf("DHT with libtorrent: jtorrent found libtorrent's announce in %.3f s; its own announce"
                + " reached %d libtorrent nodes and a libtorrent lookup found it in %.3f s%n", foundSeconds, stored,
                (System.nanoTime() - announcing) / 1e9);
    }

    @AfterEach
    void stopEverything() {
        Harness.closeAll(started);
    }
}
