package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link LocalDiscoveryIpv6Test} in a JVM of its own inside a network namespace whose interface {@code v0}
 * has the addresses {@code fd01::1} and {@code fd01::2}: two {@link LocalDiscovery}s, one on each address, and the
 * one that registers first must hear the other. Prints {@code FOUND <peer>} or {@code MISSING}.
 */
public final class Ipv6LinkProbe {
    private static final InfoHash TORRENT = InfoHash.fromHex("6666666666666666666666666666666666666666");

    private Ipv6LinkProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress a = InetAddress.getByName("fd01::1");
        InetAddress b = InetAddress.getByName("fd01::2");
        BlockingQueue<LocalPeer> heardByA = new LinkedBlockingQueue<>();
        try (LocalDiscovery first = LocalDiscovery.open(LsdEndpoint.forListenAddress(Optional.of(a)), 5001,
                heardByA::add);
             LocalDiscovery second = LocalDiscovery.open(LsdEndpoint.forListenAddress(Optional.of(b)), 5002,
                     peer -> { })) {
            System.out.println("endpoints " + first.endpoints() + " " + second.endpoints());
            first.register(TORRENT, false).orElseThrow();
            second.register(TORRENT, false).orElseThrow();
            LocalPeer heard = heardByA.poll(10, TimeUnit.SECONDS);
            LocalPeer expected = new LocalPeer(TORRENT, new InetSocketAddress(b, 5002));
            System.out.println(expected.equals(heard) ? "FOUND " + heard : "MISSING (heard " + heard + ")");
        }
    }
}
