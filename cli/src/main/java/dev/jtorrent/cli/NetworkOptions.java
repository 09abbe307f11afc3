package dev.jtorrent.cli;

import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Encryption;
import dev.jtorrent.session.SessionConfig;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --port}, {@code --bind}, {@code --max-peers}, {@code --upload-slots}, {@code --upload-limit}, {@code
 * --no-pex}, {@code --no-lsd}, {@code --no-dht}, {@code --dht-bootstrap}, {@code --encryption} and {@code
 * --transports}, shared by the commands that join swarms.
 */
final class NetworkOptions {
    @Option(names = "--port", paramLabel = "N", defaultValue = "6881",
            description = "Port to listen on for peers (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on and to connect and announce from, IPv4 or IPv6 (::1 or [::1]);"
                    + " repeatable, all on one --port, each connection leaving from the one of the peer's or the"
                    + " tracker's family (peers of a family none has are not dialled). Default: every address of"
                    + " both families.")
    List<String> bind = new ArrayList<>();

    @Option(names = "--max-peers", paramLabel = "N", defaultValue = "50",
            description = "Connections per torrent at most (default: ${DEFAULT-VALUE}).")
    int maxPeers;

    @Option(names = "--upload-slots", paramLabel = "N", defaultValue = "4",
            description = "Peers uploaded to at once per torrent, besides one optimistic unchoke"
                    + " (default: ${DEFAULT-VALUE}).")
    int uploadSlots;

    @Option(names = "--upload-limit", paramLabel = "RATE",
            description = "Upload at most RATE bytes a second, e.g. 500KiB or 10MiB (default: no limit).")
    String uploadLimit;

    @Option(names = "--no-pex", description = "Do not exchange peer addresses with peers (BEP 11 ut_pex); private"
            + " torrents never do.")
    boolean noPex;
    @Option(names = "--no-lsd",
            description = "Do not announce torrents on the LAN nor look for peers there (BEP 14 local service"
                    + " discovery, on by default on the interface of --bind, or on every interface that can"
                    + " multicast; never for private torrents).")
    boolean noLsd;

    @Option(names = "--no-dht",
            description = "Do not run a DHT node (BEP 5): torrents are then neither announced there nor find peers"
                    + " there, and a magnet link finds peers only through its trackers, x.pe, PEX and LSD.")
    boolean noDht;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
            description = "Join the DHT through this node instead of the public routers; repeatable. The routing"
                    + " table is kept in the resume directory for the next run.")
    List<String> dhtBootstrap = new ArrayList<>();

    @Option(names = "--encryption", paramLabel = "MODE", defaultValue = "prefer",
            description = "Protocol encryption (MSE/PE) with peers: prefer (dial encrypted, redial in plaintext if"
                    + " refused; accept both), require (RC4 only, both ways), allow (dial in plaintext, redial"
                    + " encrypted; accept both), disable (plaintext only). Default: ${DEFAULT-VALUE}.")
    String encryption;

    @Option(names = "--transports", paramLabel = "LIST", defaultValue = "tcp,utp",
            description = "What peer connections run over: tcp, utp or both, comma-separated. With both, peers are"
                    + " dialled over uTP first and over TCP too half a second later, the first to connect kept, and"
                    + " accepted over either. Default: ${DEFAULT-VALUE}.")
    String transports;

    /** The transports {@code --transports} names: {@code [tcp, utp]} as booleans. */
    private boolean[] transports() {
        boolean[] chosen = new boolean[2];
        for (String name : transports.split(",", -1)) {
            switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "tcp" -> chosen[0] = true;
                case "utp" -> chosen[1] = true;
                default -> throw new UsageException("--transports takes tcp, utp or tcp,utp, not " + transports);
            }
        }
        return chosen;
    }

    private Encryption encryption() {
        try {
            return Encryption.valueOf(encryption.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--encryption must be prefer, require, allow or disable, not " + encryption);
        }
    }

    private long uploadLimitBytes() {
        return DataSize.parseRate("--upload-limit", uploadLimit);
    }

    SessionConfig sessionConfig() {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be from 0 to 65535, not " + port);
        }
        if (maxPeers < 1 || maxPeers > 10_000) {
            throw new UsageException("--max-peers must be from 1 to 10000, not " + maxPeers);
        }
        if (uploadSlots < 0 || uploadSlots > 1_000) {
            throw new UsageException("--upload-slots must be from 0 to 1000, not " + uploadSlots);
        }
        if (uploadLimit != null) {
            uploadLimitBytes(); // every usage error before anything starts
        }
        SessionConfig.Builder config = SessionConfig.builder().port(port).maxPeersPerTorrent(maxPeers)
                .uploadSlots(uploadSlots).pex(!noPex).lsd(!noLsd).dht(!noDht).encryption(encryption());
        boolean[] transports = transports();
        config.tcp(transports[0]).utp(transports[1]);
        if (!dhtBootstrap.isEmpty()) {
            List<InetSocketAddress> nodes = new ArrayList<>();
            for (String node : dhtBootstrap) {
                nodes.add(DhtCommand.hostPort(node));
            }
            config.dhtBootstrap(nodes);
        }
        config.bindAddresses(BindAddresses.parse(bind));
        return config.build();
    }

    /** What the options say of how each torrent is added: its upload limit. */
    AddOptions.Builder addOptions() {
        return AddOptions.builder().uploadLimit(uploadLimit == null ? 0 : uploadLimitBytes());
    }
}
