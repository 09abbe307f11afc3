package dev.jtorrent.cli.interop;

import dev.jtorrent.metainfo.InfoHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small private DHT of libtorrent sessions on loopback, run by the script {@code libtorrent-dht.py}: session
 * {@code i} listens on {@code 127.0.(firstSubnet + i).1}, one /24 per node as libtorrent's defaults require, at port
 * {@code port + i}, and knows every earlier one. Session 1 announces one info hash every few seconds (and may seed
 * that torrent), session 2 looks another one up as often and prints each peer it finds.
 */
final class LibtorrentDht implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final BackgroundProcess process;
    private final int firstSubnet;
    private final int port;
    private final InfoHash searched;

    private LibtorrentDht(BackgroundProcess process, int firstSubnet, int port, InfoHash searched) {
        this.process = process;
        this.firstSubnet = firstSubnet;
        this.port = port;
        this.searched = searched;
    }

    /**
     * Starts {@code nodes} sessions in {@code dir}; session 1 announces {@code announced}, session 2 looks up
     * {@code searched}. Returns once they run; they stop by themselves after {@code lifetime}, or when closed.
     */
    static LibtorrentDht start(Libtorrent libtorrent, Path dir, int firstSubnet, int nodes, InfoHash announced,
            InfoHash searched, Duration lifetime) {
        return start(libtorrent, dir, firstSubnet, nodes, announced, searched, lifetime, List.of());
    }

    /**
     * As {@link #start(Libtorrent, Path, int, int, InfoHash, InfoHash, Duration)}, session 1 seeding {@code torrent}
     * (whose info hash is {@code announced}) from {@code saveDir}, which holds all its data, at {@link #node node(1)}.
     */
    static LibtorrentDht startSeeding(Libtorrent libtorrent, Path dir, int firstSubnet, int nodes, Path torrent,
            Path saveDir, InfoHash searched, Duration lifetime) {
        return start(libtorrent, dir, firstSubnet, nodes, Harness.infoHashOf(torrent), searched, lifetime,
                List.of(torrent.toString(), saveDir.toString()));
    }

    private static LibtorrentDht start(Libtorrent libtorrent, Path dir, int firstSubnet, int nodes,
            InfoHash announced, InfoHash searched, Duration lifetime, List<String> seeding) {
        int port = Loopback.freePort(ip(firstSubnet, 0));
        Path script = dir.resolve("libtorrent-dht.py");
        try {
            Files.writeString(script, Libtorrent.resource("libtorrent-dht.py"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(libtorrent.python().toString(), script.toString(),
                Integer.toString(firstSubnet), Integer.toString(nodes), Integer.toString(port), announced.hex(),
                searched.hex(), Long.toString(lifetime.toSeconds())));
        command.addAll(seeding);
        LibtorrentDht dht = new LibtorrentDht(BackgroundProcess.start("libtorrent-dht", command, dir, Map.of()),
                firstSubnet, port, searched);
        try {
            dht.process.awaitLineStartingWith("ready ", READY_TIMEOUT);
        } catch (RuntimeException | AssertionError e) {
            dht.close();
            throw e;
        }
        return dht;
    }

    private static String ip(int firstSubnet, int node) {
        return "127.0." + (firstSubnet + node) + ".1";
    }

    /** The address of session {@code i}. */
    String ip(int i) {
        return ip(firstSubnet, i);
    }

    /** The port of session {@code i}, UDP for the DHT and TCP for peers. */
    int port(int i) {
        return port + i;
    }

    /** Session {@code i} as a DHT node. */
    InetSocketAddress node(int i) {
        return new InetSocketAddress(Loopback.address(ip(i)), port(i));
    }

    /** Session {@code i} as {@code IP:PORT}, as {@code --dht-bootstrap} takes it. */
    String hostPort(int i) {
        return ip(i) + ":" + port(i);
    }

    /** Waits until session 2's lookups of the searched info hash have returned the peer {@code ip:port}. */
    void awaitFound(String ip, int port, Duration timeout) {
        process.awaitLine("found " + searched.hex() + " " + ip + ":" + port, timeout);
    }

    /** The command, its state and the last lines of its output (alerts included). */
    String describe() {
        return process.describe();
    }

    @Override
    public void close() {
        process.close();
    }
}
