package dev.jtorrent.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes either decode as a {@code ut_metadata} message or are refused with a {@link ProtocolException}, never
 * another exception; whatever decodes re-encodes to a message that decodes the same, and to exactly the bytes it came
 * from when those were as long (a dictionary with keys BEP 9 does not name is longer than the canonical one).
 * Under plain {@code mvn test} this runs the seed corpus in {@code MetadataCodecFuzzTestInputs}; with Jazzer's
 * fuzzing mode it explores.
 */
class MetadataCodecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decodesAnyBytesOrRefusesThemAndReencodesWhatItDecodes(byte[] input) throws ProtocolException {
        MetadataMessage decoded;
        try {
            decoded = MetadataCodec.decode(input);
        } catch (ProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        byte[] again = decoded.encode();
        assertThat(MetadataCodec.decode(again)).isEqualTo(decoded);
        if (again.length == input.length) {
            assertThat(again).isEqualTo(input);
        }
    }
}
