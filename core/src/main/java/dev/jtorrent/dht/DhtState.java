package dev.jtorrent.dht;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a node keeps between runs: its id, so that it keeps its place in the DHT, and good nodes to bootstrap from
 * without the routers. Saved as a bencoded dictionary ({@code id}, {@code nodes}, {@code nodes6} in the compact forms
 * of BEP 5 and 32), written whole or not at all: a temporary file beside it, forced, renamed over it, and the
 * directory forced, as the session writes resume files. Loading is strict and bounded; a file that is not valid
 * state is ignored with a one-line warning, since the node can always start afresh.
 *
 * @param id    our node id
 * @param nodes good nodes of either family, at most {@value #MAX_NODES} of each
 */
record DhtState(NodeId id, List<Contact> nodes) {
    /** Nodes saved per family: enough to bootstrap, few enough to ping at start. */
    static final int MAX_NODES = 200;
    /** The largest state file read: 200 nodes of each family fit in 13 KiB. */
    static final int MAX_SIZE = 32 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(2, 16, MAX_SIZE);
    private static final System.Logger LOG = System.getLogger(DhtState.class.getName());

    DhtState {
        nodes = List.copyOf(nodes);
    }

    byte[] encode() {
        BDictionary.Builder d = BDictionary.builder().put("id", BString.of(id.bytes()));
        for (Family f : Family.values()) {
            List<Contact> ofFamily = nodes.stream().filter(c -> c.family() == f).limit(MAX_NODES).toList();
            if (!ofFamily.isEmpty()) {
                d.put(f.nodesKey(), BString.of(Compact.nodes(ofFamily, f)));
            }
        }
        return BencodeEncoder.encode(d.build());
    }

    /** Reads state written by {@link #encode}, or explains why it is not. */
    static DhtState parse(byte[] bytes) throws InvalidStateException {
        BValue value;
        try {
            value = BencodeDecoder.strict(LIMITS).decode(bytes);
        } catch (BencodeException e) {
            throw new InvalidStateException("not bencoded: " + e.getMessage());
        }
        if (!(value instanceof BDictionary d)) {
            throw new InvalidStateException("not a dictionary");
        }
        if (!(d.get("id").orElse(null) instanceof BString id) || id.length() != NodeId.LENGTH) {
            throw new InvalidStateException("no 20-byte id");
        }
        List<Contact> nodes = new ArrayList<>();
        for (Family f : Family.values()) {
            Optional<BValue> v = d.get(f.nodesKey());
            if (v.isEmpty()) {
                continue;
            }
            if (!(v.get() instanceof BString s) || s.length() % f.nodeLength != 0
                    || s.length() / f.nodeLength > MAX_NODES) {
                throw new InvalidStateException(f.nodesKey() + " is not up to " + MAX_NODES + " compact nodes");
            }
            nodes.addAll(Compact.readNodes(s.bytes(), f));
        }
        return new DhtState(NodeId.of(id.bytes()), nodes);
    }

    /** The state saved in {@code file}; empty if there is none, or if it is unreadable or corrupt (warned). */
    static Optional<DhtState> load(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > MAX_SIZE) {
                throw new InvalidStateException("it is " + channel.size() + " bytes, more than " + MAX_SIZE);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // until full, or the file shrank under us
            }
            buffer.flip();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return Optional.of(parse(bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | InvalidStateException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring DHT state {0}: {1}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Replaces {@code file} with this state atomically; returns once it is on disk under that name. */
    void save(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.createDirectories(absolute.getParent());
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(encode());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
        if (File.separatorChar != '\\') { // Windows cannot open a directory; NTFS journals the rename itself
            try (FileChannel directory = FileChannel.open(absolute.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        }
    }

    /** A state file that is not valid state. */
    static final class InvalidStateException extends Exception {
        InvalidStateException(String problem) {
            super(problem, null, false, false);
        }
    }
}
