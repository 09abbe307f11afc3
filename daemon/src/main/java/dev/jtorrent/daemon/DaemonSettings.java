package dev.jtorrent.daemon;

import dev.jtorrent.session.Encryption;
import dev.jtorrent.session.SessionConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's {@code settings.json} in its config directory: every daemon and session setting, under the names
 * transmission-daemon's {@code settings.json} uses where it has the setting ({@code peer-port}, {@code rpc-port},
 * {@code rpc-whitelist}...), so that someone who edits Transmission's file finds their way. It is read at the start,
 * the command line's options override it and are written back (as transmission-daemon does), and it may be edited
 * by hand while the daemon is stopped.
 *
 * <p>Keys it does not know are kept as they are and written back, and {@link #unknownKeys()} names them so that the
 * daemon can warn of a misspelt one. A file that is not JSON is never overwritten: {@link #read} fails with the
 * file, line and column, and the daemon does not start. Values are checked as they are used, each failure naming
 * the file and the key.
 */
public final class DaemonSettings {
    /** Larger than any hand-written settings file; a larger one is refused before it is read. */
    static final int MAX_FILE_SIZE = 1024 * 1024;

    public static final String DOWNLOAD_DIR = "download-dir";
    public static final String PEER_PORT = "peer-port";
    public static final String BIND_ADDRESSES = "bind-addresses";
    public static final String PEER_LIMIT_PER_TORRENT = "peer-limit-per-torrent";
    public static final String UPLOAD_SLOTS_PER_TORRENT = "upload-slots-per-torrent";
    public static final String UPLOAD_LIMIT = "upload-limit-bytes";
    public static final String PEX_ENABLED = "pex-enabled";
    public static final String LSD_ENABLED = "lsd-enabled";
    public static final String DHT_ENABLED = "dht-enabled";
    public static final String DHT_BOOTSTRAP = "dht-bootstrap";
    public static final String ENCRYPTION = "encryption";
    public static final String TRANSPORTS = "transports";
    public static final String RPC_BIND_ADDRESS = "rpc-bind-address";
    public static final String RPC_PORT = "rpc-port";
    public static final String RPC_AUTHENTICATION_REQUIRED = "rpc-authentication-required";
    public static final String RPC_USERNAME = "rpc-username";
    public static final String RPC_PASSWORD = "rpc-password-pbkdf2";
    public static final String RPC_WHITELIST = "rpc-whitelist";
    public static final String RPC_HOST_WHITELIST = "rpc-host-whitelist";
    public static final String WATCH_DIR = "watch-dir";
    public static final String WEB_HOME = "web-home";

    private static final Set<String> KNOWN = Set.of(DOWNLOAD_DIR, PEER_PORT, BIND_ADDRESSES, PEER_LIMIT_PER_TORRENT,
            UPLOAD_SLOTS_PER_TORRENT, UPLOAD_LIMIT, PEX_ENABLED, LSD_ENABLED, DHT_ENABLED, DHT_BOOTSTRAP, ENCRYPTION,
            TRANSPORTS, RPC_BIND_ADDRESS, RPC_PORT, RPC_AUTHENTICATION_REQUIRED, RPC_USERNAME, RPC_PASSWORD,
            RPC_WHITELIST, RPC_HOST_WHITELIST, WATCH_DIR, WEB_HOME);

    /** Transmission's peer port, which its users' routers forward. */
    public static final int DEFAULT_PEER_PORT = 51413;
    /** qBittorrent's user name; Transmission has none by default, and a name is needed to print with the password. */
    public static final String DEFAULT_USERNAME = "admin";
    public static final String DEFAULT_WHITELIST = "127.0.0.1,::1";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final ObjectNode values;

    private DaemonSettings(Path file, ObjectNode values) {
        this.file = file;
        this.values = values;
    }

    /**
     * Reads the settings file, or starts empty ones (every setting at its default) if it does not exist.
     *
     * @throws SettingsException naming the file and the line and column where it is not a JSON object
     * @throws IOException       if it exists but cannot be read
     */
    public static DaemonSettings read(Path file) throws SettingsException, IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new SettingsException(file + ": larger than " + MAX_FILE_SIZE + " bytes; not a settings file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new DaemonSettings(file, JSON.createObjectNode());
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            var at = e.getLocation();
            throw new SettingsException(file + (at != null ? ": line " + at.getLineNr() + ", column "
                    + at.getColumnNr() : "") + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new SettingsException(file + ": not a JSON object ({ \"key\": value, ... })");
        }
        return new DaemonSettings(file, object);
    }

    public Path file() {
        return file;
    }

    /** Writes the settings back, atomically, with the keys it did not know kept. */
    public void write() throws IOException {
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(values));
    }

    /** The keys of the file this version does not know, to warn of. */
    public List<String> unknownKeys() {
        return values.propertyNames().stream().filter(key -> !KNOWN.contains(key)).sorted().toList();
    }

    public boolean has(String key) {
        return values.has(key) && !values.get(key).isNull();
    }

    public void put(String key, String value) {
        values.put(key, value);
    }

    public void put(String key, long value) {
        values.put(key, value);
    }

    public void put(String key, boolean value) {
        values.put(key, value);
    }

    public void put(String key, List<String> list) {
        ArrayNode array = values.putArray(key);
        list.forEach(array::add);
    }

    public void remove(String key) {
        values.remove(key);
    }

    // Typed reads: each names the file and key when the value is of the wrong type or out of range.

    public String text(String key, String fallback) throws SettingsException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = values.get(key);
        if (!node.isString()) {
            throw bad(key, "a string");
        }
        return node.asString();
    }

    public long integer(String key, long fallback, long min, long max) throws SettingsException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = values.get(key);
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min
                || node.longValue() > max) {
            throw bad(key, "an integer from " + min + " to " + max);
        }
        return node.longValue();
    }

    public boolean bool(String key, boolean fallback) throws SettingsException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = values.get(key);
        if (!node.isBoolean()) {
            throw bad(key, "true or false");
        }
        return node.booleanValue();
    }

    public List<String> list(String key) throws SettingsException {
        if (!has(key)) {
            return List.of();
        }
        JsonNode node = values.get(key);
        if (!node.isArray()) {
            throw bad(key, "a list of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isString()) {
                throw bad(key, "a list of strings");
            }
            list.add(element.asString());
        }
        return list;
    }

    /** An optional directory: absent or empty for none. */
    public Optional<Path> directory(String key) throws SettingsException {
        String text = text(key, "");
        return text.isBlank() ? Optional.empty() : Optional.of(Path.of(text));
    }

    /** The stored password hash, if any. */
    Optional<PasswordHash> passwordHash() throws SettingsException {
        if (!has(RPC_PASSWORD)) {
            return Optional.empty();
        }
        JsonNode node = values.get(RPC_PASSWORD);
        try {
            if (!node.isObject() || !PasswordHash.ALGORITHM.equals(node.path("algorithm").asString(""))) {
                throw new IllegalArgumentException("not a " + PasswordHash.ALGORITHM + " hash");
            }
            return Optional.of(new PasswordHash(node.path("iterations").asInt(0),
                    Base64.getDecoder().decode(node.path("salt").asString("")),
                    Base64.getDecoder().decode(node.path("hash").asString(""))));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(file + ": " + RPC_PASSWORD + ": " + e.getMessage()
                    + " (delete the key and restart to have a new password made)");
        }
    }

    void putPasswordHash(PasswordHash hash) {
        ObjectNode node = values.putObject(RPC_PASSWORD);
        node.put("algorithm", PasswordHash.ALGORITHM);
        node.put("iterations", hash.iterations());
        node.put("salt", hash.saltBase64());
        node.put("hash", hash.hashBase64());
    }

    private SettingsException bad(String key, String expected) {
        return new SettingsException(file + ": " + key + " must be " + expected + ", not " + values.get(key));
    }

    /**
     * The session's configuration from these settings.
     *
     * @param downloadDir the download directory when the settings name none
     * @param resumeDir   where the session keeps resume data (inside the config directory)
     */
    public SessionConfig sessionConfig(Path downloadDir, Path resumeDir) throws SettingsException {
        SessionConfig.Builder config = SessionConfig.builder()
                .downloadDirectory(directory(DOWNLOAD_DIR).orElse(downloadDir))
                .resumeDirectory(resumeDir)
                .port((int) integer(PEER_PORT, DEFAULT_PEER_PORT, 0, 65_535))
                .maxPeersPerTorrent((int) integer(PEER_LIMIT_PER_TORRENT, 50, 1, 10_000))
                .uploadSlots((int) integer(UPLOAD_SLOTS_PER_TORRENT, 4, 0, 1_000))
                .uploadLimit(integer(UPLOAD_LIMIT, 0, 0, Long.MAX_VALUE))
                .pex(bool(PEX_ENABLED, true))
                .lsd(bool(LSD_ENABLED, true))
                .dht(bool(DHT_ENABLED, true))
                .encryption(encryption());
        String transports = text(TRANSPORTS, "tcp,utp");
        boolean tcp = false;
        boolean utp = false;
        for (String name : transports.split(",", -1)) {
            switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "tcp" -> tcp = true;
                case "utp" -> utp = true;
                default -> throw bad(TRANSPORTS, "tcp, utp or tcp,utp");
            }
        }
        config.tcp(tcp).utp(utp);
        List<InetAddress> binds = new ArrayList<>();
        for (String bind : list(BIND_ADDRESSES)) {
            binds.add(address(BIND_ADDRESSES, bind));
        }
        config.bindAddresses(binds);
        List<String> bootstrap = list(DHT_BOOTSTRAP);
        if (!bootstrap.isEmpty()) {
            List<InetSocketAddress> nodes = new ArrayList<>();
            for (String node : bootstrap) {
                int colon = node.lastIndexOf(':');
                if (colon <= 0) {
                    throw bad(DHT_BOOTSTRAP, "a list of HOST:PORT");
                }
                String host = node.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port;
                try {
                    port = Integer.parseInt(node.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw bad(DHT_BOOTSTRAP, "a list of HOST:PORT");
                }
                if (port < 1 || port > 65_535) {
                    throw bad(DHT_BOOTSTRAP, "a list of HOST:PORT");
                }
                nodes.add(InetSocketAddress.createUnresolved(host, port));
            }
            config.dhtBootstrap(nodes);
        }
        try {
            return config.build();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(file + ": " + e.getMessage());
        }
    }

    private Encryption encryption() throws SettingsException {
        try {
            return Encryption.valueOf(text(ENCRYPTION, "prefer").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(ENCRYPTION, "prefer, require, allow or disable");
        }
    }

    /** The RPC's listen address. */
    public InetAddress rpcBind() throws SettingsException {
        return address(RPC_BIND_ADDRESS, text(RPC_BIND_ADDRESS, "127.0.0.1"));
    }

    public int rpcPort() throws SettingsException {
        return (int) integer(RPC_PORT, DaemonConfig.DEFAULT_RPC_PORT, 0, 65_535);
    }

    private InetAddress address(String key, String text) throws SettingsException {
        String host = text.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw bad(key, "an address");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new SettingsException(file + ": " + key + ": not an address of this machine: '" + text + "'");
        }
    }
}
