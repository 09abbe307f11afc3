package dev.jtorrent.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PexCodecTest {
    private static final InetSocketAddress A = address("10.0.0.1", 6881);
    private static final InetSocketAddress B = address("192.168.1.2", 51413);
    private static final InetSocketAddress V6 = address("2001:db8::1", 443);

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A dictionary written by hand, keys sorted, with binary strings as ISO-8859-1 characters. */
    private static byte[] bencoded(String... keysAndValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('d');
        for (int i = 0; i < keysAndValues.length; i += 2) {
            for (String s : List.of(keysAndValues[i], keysAndValues[i + 1])) {
                out.writeBytes((s.length() + ":" + s).getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        out.write('e');
        return out.toByteArray();
    }

    /** Compact entries as ISO-8859-1 text, for {@link #bencoded}. */
    private static String compact(InetSocketAddress... addresses) {
        StringBuilder s = new StringBuilder();
        for (InetSocketAddress a : addresses) {
            for (byte b : a.getAddress().getAddress()) {
                s.append((char) Byte.toUnsignedInt(b));
            }
            s.append((char) (a.getPort() >> 8)).append((char) (a.getPort() & 0xFF));
        }
        return s.toString();
    }

    @Test
    void decodesAddedWithFlagsAndDroppedOfBothFamilies() throws ProtocolException {
        byte[] payload = bencoded("added", compact(A, B), "added.f", "\u0012\u0000", "added6", compact(V6),
                "added6.f", "\u0010", "dropped", compact(B), "dropped6", compact(V6));

        PexMessage m = PexCodec.decode(payload);

        assertThat(m.added()).containsExactly(new PexMessage.Added(A, PexMessage.SEED | PexMessage.REACHABLE),
                new PexMessage.Added(B, 0), new PexMessage.Added(V6, PexMessage.REACHABLE));
        assertThat(m.dropped()).containsExactly(B, V6);
    }

    @Test
    void encodesCanonicallyAndDecodesItBack() throws ProtocolException {
        PexMessage m = new PexMessage(List.of(new PexMessage.Added(A, PexMessage.REACHABLE),
                new PexMessage.Added(V6, PexMessage.SEED)), List.of(B));

        byte[] encoded = m.encode();

        assertThat(PexCodec.decode(encoded)).isEqualTo(m);
        assertThat(encoded).isEqualTo(bencoded("added", compact(A), "added.f", "\u0010", "added6", compact(V6),
                "added6.f", "\u0002", "dropped", compact(B)));
    }

    @Test
    void anEmptyMessageStillNamesAddedAndDropped() throws ProtocolException {
        byte[] encoded = new PexMessage(List.of(), List.of()).encode();
        assertThat(new String(encoded, StandardCharsets.US_ASCII)).isEqualTo("d5:added0:7:added.f0:7:dropped0:e");
        assertThat(PexCodec.decode(encoded)).isEqualTo(new PexMessage(List.of(), List.of()));
    }

    @Test
    void missingFlagsAreTakenAsNone() throws ProtocolException {
        assertThat(PexCodec.decode(bencoded("added", compact(A, B))).added())
                .containsExactly(new PexMessage.Added(A, 0), new PexMessage.Added(B, 0));
    }

    @Test
    void unknownKeysAreIgnored() throws ProtocolException {
        assertThat(PexCodec.decode(bencoded("added", compact(A), "zzz", "whatever")).added())
                .containsExactly(new PexMessage.Added(A, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"added", "dropped"})
    void anIpv4ListOfPartEntriesIsRefused(String key) {
        assertThatThrownBy(() -> PexCodec.decode(bencoded(key, compact(A) + "x")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("multiple of 6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"added6", "dropped6"})
    void anIpv6ListOfPartEntriesIsRefused(String key) {
        assertThatThrownBy(() -> PexCodec.decode(bencoded(key, compact(A, A))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("multiple of 18");
    }

    @Test
    void flagsOfAnotherCountThanThePeersAreRefused() {
        assertThatThrownBy(() -> PexCodec.decode(bencoded("added", compact(A, B), "added.f", "\u0010")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("1 flags for 2 peers");
        assertThatThrownBy(() -> PexCodec.decode(bencoded("added6", compact(V6), "added6.f", "")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("0 flags for 1 peers");
    }

    @Test
    void aListThatIsNotAStringIsRefused() {
        assertThatThrownBy(() -> PexCodec.decode("d5:addedi6ee".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "le", "i1e", "d5:added0:", "d7:dropped0:5:added0:e", "d5:added0:e "})
    void whatIsNotOneCanonicalDictionaryIsRefused(String payload) {
        assertThatThrownBy(() -> PexCodec.decode(payload.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void onlyTheFirstEntriesOfAListAreRead() throws ProtocolException {
        List<InetSocketAddress> many = new ArrayList<>();
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < PexCodec.MAX_ENTRIES + 100; i++) {
            many.add(address("10.1." + (i >> 8) + "." + (i & 0xFF), 6881));
            flags.append('\u0010');
        }
        PexMessage m = PexCodec.decode(bencoded("added", compact(many.toArray(InetSocketAddress[]::new)),
                "added.f", flags.toString(), "dropped", compact(many.toArray(InetSocketAddress[]::new))));

        assertThat(m.added()).hasSize(PexCodec.MAX_ENTRIES);
        assertThat(m.added().getLast()).isEqualTo(new PexMessage.Added(many.get(PexCodec.MAX_ENTRIES - 1), 0x10));
        assertThat(m.dropped()).hasSize(PexCodec.MAX_ENTRIES);
    }

    @Test
    void aPayloadOverTheLimitIsRefusedBeforeDecoding() {
        byte[] huge = new byte[PexCodec.MAX_PAYLOAD + 1];
        assertThatThrownBy(() -> PexCodec.decode(huge)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than the limit");
    }

    @Test
    void anIpv4MappedIpv6EntryIsSkippedWithItsFlag() throws ProtocolException {
        String mapped = "\0".repeat(10) + "\u00ff\u00ff" + compact(A); // ::ffff:10.0.0.1, port 6881
        PexMessage m = PexCodec.decode(bencoded("added6", mapped + compact(V6), "added6.f", "\u0002\u0010",
                "dropped6", mapped));

        assertThat(m.added()).containsExactly(new PexMessage.Added(V6, PexMessage.REACHABLE));
        assertThat(m.dropped()).isEmpty();
    }

    @Test
    void portZeroDecodesAndIsLeftToTheReceiverToIgnore() throws ProtocolException {
        assertThat(PexCodec.decode(bencoded("added", compact(address("10.0.0.9", 0)))).added())
                .containsExactly(new PexMessage.Added(address("10.0.0.9", 0), 0));
    }
}
