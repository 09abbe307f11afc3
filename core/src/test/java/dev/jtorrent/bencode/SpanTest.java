package dev.jtorrent.bencode;

import static dev.jtorrent.bencode.BencodeDecoderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpanTest {
    private static final BencodeDecoder STRICT = BencodeDecoder.strict(BencodeLimits.TORRENT_FILE);

    private static void assertSpan(BValue value, byte[] input, int offset, int length) {
        Span span = value.span().orElseThrow();
        assertThat(span.offset()).as("offset of %s", value).isEqualTo(offset);
        assertThat(span.length()).as("length of %s", value).isEqualTo(length);
        assertThat(span.bytes()).as("bytes of %s", value)
                .isEqualTo(Arrays.copyOfRange(input, offset, offset + length));
    }

    @Test
    void coversTheWholeInputForTheTopLevelValue() {
        byte[] input = bytes("d3:cow3:moo4:spaml1:ai-7eee");
        assertSpan(STRICT.decode(input), input, 0, input.length);
    }

    @Test
    void coversEachNestedValueIncludingItsDelimiters() {
        //                   0         1         2
        //                   012345678901234567890123456
        byte[] input = bytes("d3:cow3:moo4:spaml1:ai-7eee");
        BDictionary dictionary = (BDictionary) STRICT.decode(input);
        BString cow = dictionary.entries().firstKey();
        BList spam = (BList) dictionary.get("spam").orElseThrow();

        assertSpan(cow, input, 1, 5);
        assertSpan(dictionary.get("cow").orElseThrow(), input, 6, 5);
        assertSpan(spam, input, 17, 9);
        assertSpan(spam.get(0), input, 18, 3);
        assertSpan(spam.get(1), input, 21, 4);
    }

    @Test
    void keepsTheOriginalBytesOfALenientlyDecodedUnsortedDictionary() {
        byte[] input = bytes("ld1:bi1e1:ai2eee");
        BList list = (BList) BencodeDecoder.lenient(BencodeLimits.TORRENT_FILE).decode(input);
        BValue dictionary = list.get(0);

        assertSpan(dictionary, input, 1, 14);
        assertThat(dictionary.span().orElseThrow().bytes()).isEqualTo(bytes("d1:bi1e1:ai2ee"));
        assertThat(BencodeEncoder.encode(dictionary)).isEqualTo(bytes("d1:ai2e1:bi1ee"));
    }

    @Test
    void viewsTheSameBytesItReturnsWithoutLettingThemChange() throws Exception {
        byte[] input = bytes("d4:infod6:lengthi5eee");
        BValue info = ((BDictionary) STRICT.decode(input)).get("info").orElseThrow();
        ByteBuffer view = info.span().orElseThrow().view();

        byte[] viewed = new byte[view.remaining()];
        view.duplicate().get(viewed);
        assertThat(viewed).isEqualTo(bytes("d6:lengthi5ee")).isEqualTo(info.span().orElseThrow().bytes());
        assertThat(view.position()).isZero();
        assertThat(view.isReadOnly()).isTrue();
    }

    @Test
    void returnsACopySoCallersCannotAlterTheInput() {
        byte[] input = bytes("4:spam");
        Span span = STRICT.decode(input).span().orElseThrow();
        span.bytes()[0] = 'X';
        assertThat(span.bytes()).isEqualTo(bytes("4:spam"));
        assertThat(input).isEqualTo(bytes("4:spam"));
    }

    @Test
    void isEmptyForValuesBuiltInCode() {
        assertThat(BInteger.of(1).span()).isEmpty();
        assertThat(BString.of("a").span()).isEmpty();
        assertThat(BList.of().span()).isEmpty();
        assertThat(BDictionary.builder().put("a", 1).build().span()).isEmpty();
    }

    @Test
    void doesNotTakePartInEquality() {
        BValue decoded = STRICT.decode(bytes("l1:ai1ee"));
        BValue built = BList.of(BString.of("a"), BInteger.of(1));
        assertThat(decoded).isEqualTo(built).hasSameHashCodeAs(built);
    }
}
