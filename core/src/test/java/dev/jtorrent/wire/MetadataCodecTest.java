package dev.jtorrent.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataCodecTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] filled(int length, int value) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) value);
        return data;
    }

    @Test
    void decodesTheRequestAndRejectOfBep9() throws ProtocolException {
        assertThat(MetadataCodec.decode(bytes("d8:msg_typei0e5:piecei0ee")))
                .isEqualTo(new MetadataMessage.Request(0));
        assertThat(MetadataCodec.decode(bytes("d8:msg_typei2e5:piecei7ee")))
                .isEqualTo(new MetadataMessage.Reject(7));
    }

    @Test
    void decodesADataMessageWithThePieceAfterTheDictionary() throws ProtocolException {
        byte[] piece = filled(16_384, 'x');
        MetadataMessage decoded = MetadataCodec.decode(
                concat(bytes("d8:msg_typei1e5:piecei0e10:total_sizei34256ee"), piece));
        assertThat(decoded).isEqualTo(new MetadataMessage.Data(0, 34_256, piece));
    }

    @Test
    void theLastPieceHoldsTheRest() throws ProtocolException {
        byte[] rest = filled(34_256 - 2 * 16_384, 'y');
        MetadataMessage decoded = MetadataCodec.decode(
                concat(bytes("d8:msg_typei1e5:piecei2e10:total_sizei34256ee"), rest));
        assertThat(decoded).isEqualTo(new MetadataMessage.Data(2, 34_256, rest));
    }

    @Test
    void encodesEachTypeCanonicallyAndDecodesItBack() throws ProtocolException {
        MetadataMessage[] messages = {new MetadataMessage.Request(3), new MetadataMessage.Reject(0),
                new MetadataMessage.Data(1, 16_385, new byte[] {42})};
        for (MetadataMessage m : messages) {
            assertThat(MetadataCodec.decode(m.encode())).isEqualTo(m);
        }
        assertThat(new MetadataMessage.Request(3).encode()).isEqualTo(bytes("d8:msg_typei0e5:piecei3ee"));
        assertThat(new MetadataMessage.Data(1, 16_385, new byte[] {42}).encode())
                .isEqualTo(bytes("d8:msg_typei1e5:piecei1e10:total_sizei16385ee*"));
    }

    @Test
    void ignoresKeysBep9DoesNotName() throws ProtocolException {
        assertThat(MetadataCodec.decode(bytes("d8:msg_typei0e5:piecei1e10:total_sizei5e1:zi0ee")))
                .isEqualTo(new MetadataMessage.Request(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"d8:msg_typei3e5:piecei0ee", "d8:msg_typei-1e5:piecei0ee"})
    void refusesAnUnknownMessageType(String payload) {
        assertThatThrownBy(() -> MetadataCodec.decode(bytes(payload)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("\"msg_type\"");
    }

    @Test
    void refusesANegativePiece() {
        assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei0e5:piecei-1ee")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("A ut_metadata message's \"piece\" is -1, outside 0..2147483647.");
    }

    @Test
    void refusesAMissingOrNonIntegerField() {
        assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei0ee")))
                .isInstanceOf(ProtocolException.class).hasMessage("A ut_metadata message has no \"piece\".");
        assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_type1:05:piecei0ee")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("is a string, not an integer");
    }

    @Test
    void refusesADataPiecePastTheEnd() {
        assertThatThrownBy(() -> MetadataCodec.decode(
                concat(bytes("d8:msg_typei1e5:piecei1e10:total_sizei100ee"), new byte[100])))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_metadata piece 1 is past the end of an info dictionary of 100 bytes.");
    }

    @Test
    void refusesADataPieceOfTheWrongLength() {
        assertThatThrownBy(() -> MetadataCodec.decode(
                concat(bytes("d8:msg_typei1e5:piecei0e10:total_sizei100ee"), new byte[99])))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_metadata piece 0 of 100 bytes carries 99 bytes, not 100.");
        assertThatThrownBy(() -> MetadataCodec.decode(
                concat(bytes("d8:msg_typei1e5:piecei0e10:total_sizei100000ee"), new byte[16_385])))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("carries 16385 bytes, not 16384");
    }

    @Test
    void refusesAnOversizeTotalSize() {
        assertThatThrownBy(() -> MetadataCodec.decode(
                concat(bytes("d8:msg_typei1e5:piecei0e10:total_sizei99999999999ee"), new byte[16_384])))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("\"total_size\" is 99999999999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"d8:msg_typei0e5:piecei0eex", "d8:msg_typei2e5:piecei0eed1:ai0ee"})
    void refusesTrailingBytesAfterARequestOrReject(String payload) {
        assertThatThrownBy(() -> MetadataCodec.decode(bytes(payload)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("bytes after its dictionary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "i0e", "d8:msg_typei0e5:piecei0e", "d5:piecei0e8:msg_typei0ee", "d8:msg_typei00ee"})
    void refusesWhatIsNotACanonicalDictionary(String payload) {
        assertThatThrownBy(() -> MetadataCodec.decode(bytes(payload))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void refusesADictionaryLongerThanItsLimit() {
        String padding = "x".repeat(MetadataMessage.MAX_DICTIONARY);
        assertThatThrownBy(() -> MetadataCodec.decode(
                bytes("d8:msg_typei0e5:piecei0e1:z" + padding.length() + ":" + padding + "e")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not within its first 256 bytes");
    }

    @Test
    void dataMustFitItsTotalSize() {
        assertThatThrownBy(() -> new MetadataMessage.Data(0, 10, new byte[11]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetadataMessage.Request(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
