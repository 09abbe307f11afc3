package dev.jtorrent.wire;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BInteger;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;
import dev.jtorrent.wire.Message.Extended;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The BEP 10 extension handshake, the bencoded dictionary in {@link Extended} message 0. Decoding takes the keys
 * below and ignores the rest, as BEP 10 asks; a known key with a value of the wrong type or out of range is a
 * {@link ProtocolException}.
 *
 * @param messages     {@code m}: extension name to the id the sender wants it sent with; 0 turns one off
 * @param client       {@code v}: client name and version
 * @param listenPort   {@code p}: the sender's TCP listen port
 * @param requestQueue {@code reqq}: how many outstanding requests the sender keeps without dropping
 * @param metadataSize {@code metadata_size} (BEP 9): bytes of the info dictionary, at least 1
 * @param uploadOnly   {@code upload_only}: the sender only uploads (a seed, or a partial seed)
 * @param yourIp       {@code yourip}: the address the sender sees the receiver at
 */
public record ExtensionHandshake(SortedMap<String, Integer> messages, Optional<String> client, OptionalInt listenPort,
                                 OptionalInt requestQueue, OptionalInt metadataSize, boolean uploadOnly,
                                 Optional<InetAddress> yourIp) {
    /** The extended message id of the handshake itself. */
    public static final int ID = 0;

    private static final BencodeDecoder DECODER = BencodeDecoder.strict(BencodeLimits.MESSAGE);

    public ExtensionHandshake {
        messages = Collections.unmodifiableSortedMap(new TreeMap<>(messages));
        for (Map.Entry<String, Integer> e : messages.entrySet()) {
            if (e.getValue() < 0 || e.getValue() > 0xFF) {
                throw new IllegalArgumentException("extension id out of 0..255: " + e);
            }
        }
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(requestQueue, "requestQueue");
        Objects.requireNonNull(metadataSize, "metadataSize");
        Objects.requireNonNull(yourIp, "yourIp");
    }

    /** A handshake that offers {@code messages} and says nothing else. */
    public static ExtensionHandshake of(Map<String, Integer> messages) {
        return new ExtensionHandshake(new TreeMap<>(messages), Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), false, Optional.empty());
    }

    /** This handshake offering one more extension message, with the id the peer is to send it with. */
    public ExtensionHandshake withMessage(String name, int id) {
        SortedMap<String, Integer> more = new TreeMap<>(messages);
        more.put(name, id);
        return new ExtensionHandshake(more, client, listenPort, requestQueue, metadataSize, uploadOnly, yourIp);
    }

    public ExtensionHandshake withClient(String v) {
        return new ExtensionHandshake(messages, Optional.of(v), listenPort, requestQueue, metadataSize, uploadOnly,
                yourIp);
    }

    public ExtensionHandshake withListenPort(int p) {
        return new ExtensionHandshake(messages, client, OptionalInt.of(p), requestQueue, metadataSize, uploadOnly,
                yourIp);
    }

    public ExtensionHandshake withRequestQueue(int reqq) {
        return new ExtensionHandshake(messages, client, listenPort, OptionalInt.of(reqq), metadataSize, uploadOnly,
                yourIp);
    }

    public ExtensionHandshake withMetadataSize(int size) {
        return new ExtensionHandshake(messages, client, listenPort, requestQueue, OptionalInt.of(size), uploadOnly,
                yourIp);
    }

    public ExtensionHandshake withUploadOnly(boolean on) {
        return new ExtensionHandshake(messages, client, listenPort, requestQueue, metadataSize, on, yourIp);
    }

    public ExtensionHandshake withYourIp(InetAddress address) {
        return new ExtensionHandshake(messages, client, listenPort, requestQueue, metadataSize, uploadOnly,
                Optional.of(address));
    }

    /** The bencoded dictionary. */
    public byte[] encode() {
        BDictionary.Builder m = BDictionary.builder();
        messages.forEach((name, id) -> m.put(name, id));
        BDictionary.Builder d = BDictionary.builder().put("m", m.build());
        client.ifPresent(v -> d.put("v", v));
        listenPort.ifPresent(p -> d.put("p", p));
        requestQueue.ifPresent(q -> d.put("reqq", q));
        metadataSize.ifPresent(s -> d.put("metadata_size", s));
        if (uploadOnly) {
            d.put("upload_only", 1);
        }
        yourIp.ifPresent(ip -> d.put("yourip", BString.of(ip.getAddress())));
        return BencodeEncoder.encode(d.build());
    }

    /** This handshake as the extended message to send. */
    public Extended toMessage() {
        return new Extended(ID, encode());
    }

    /** Decodes the handshake carried by {@code message}, which must have extended id 0. */
    public static ExtensionHandshake from(Extended message) throws ProtocolException {
        if (message.extendedId() != ID) {
            throw new ProtocolException("Extended message " + message.extendedId() + " is not a handshake.");
        }
        return decode(message.unsafePayload());
    }

    /** Decodes the bencoded payload of an extension handshake. */
    public static ExtensionHandshake decode(byte[] payload) throws ProtocolException {
        BValue value;
        try {
            value = DECODER.decode(payload);
        } catch (BencodeException e) {
            throw new ProtocolException("The extension handshake is not valid bencoding: " + e.getMessage() + ".", e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new ProtocolException("The extension handshake is a " + value.typeName() + ", not a dictionary.");
        }
        SortedMap<String, Integer> messages = new TreeMap<>();
        Optional<BValue> m = d.get("m");
        if (m.isPresent()) {
            if (!(m.get() instanceof BDictionary md)) {
                throw new ProtocolException("The extension handshake's \"m\" is not a dictionary.");
            }
            for (Map.Entry<BString, BValue> e : md.entries().entrySet()) {
                String name = e.getKey().asText();
                messages.put(name, (int) integer(e.getValue(), "m." + name, 0, 0xFF));
            }
        }
        Optional<String> client = Optional.empty();
        if (d.get("v").isPresent()) {
            if (!(d.get("v").get() instanceof BString v)) {
                throw new ProtocolException("The extension handshake's \"v\" is not a string.");
            }
            client = Optional.of(v.asText());
        }
        OptionalInt port = optionalInt(d, "p", 0, 0xFFFF);
        OptionalInt reqq = optionalInt(d, "reqq", 0, Integer.MAX_VALUE);
        OptionalInt metadataSize = optionalInt(d, "metadata_size", 1, Integer.MAX_VALUE);
        boolean uploadOnly = d.get("upload_only").isPresent()
                && integer(d.get("upload_only").get(), "upload_only", Long.MIN_VALUE, Long.MAX_VALUE) != 0;
        return new ExtensionHandshake(messages, client, port, reqq, metadataSize, uploadOnly, yourIp(d));
    }

    /** Only 4- and 16-byte addresses mean anything; another length is ignored rather than fatal, as it is harmless. */
    private static Optional<InetAddress> yourIp(BDictionary d) throws ProtocolException {
        Optional<BValue> value = d.get("yourip");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof BString s)) {
            throw new ProtocolException("The extension handshake's \"yourip\" is not a string.");
        }
        if (s.length() != 4 && s.length() != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(s.bytes()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static OptionalInt optionalInt(BDictionary d, String key, int min, int max) throws ProtocolException {
        Optional<BValue> value = d.get(key);
        return value.isEmpty() ? OptionalInt.empty() : OptionalInt.of((int) integer(value.get(), key, min, max));
    }

    private static long integer(BValue value, String key, long min, long max) throws ProtocolException {
        if (!(value instanceof BInteger i)) {
            throw new ProtocolException("The extension handshake's \"" + key + "\" is a " + value.typeName()
                    + ", not an integer.");
        }
        if (i.value() < min || i.value() > max) {
            throw new ProtocolException("The extension handshake's \"" + key + "\" is " + i.value()
                    + ", outside " + min + ".." + max + ".");
        }
        return i.value();
    }
}
