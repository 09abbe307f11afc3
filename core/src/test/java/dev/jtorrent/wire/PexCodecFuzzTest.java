package dev.jtorrent.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes either decode as a {@code ut_pex} message or are refused with a {@link ProtocolException}, never another
 * exception; whatever decodes holds at most {@link PexCodec#MAX_ENTRIES} entries a list and re-encodes to a message
 * that decodes the same. Under plain {@code mvn test} this runs the seed corpus in {@code PexCodecFuzzTestInputs};
 * with Jazzer's fuzzing mode it explores.
 */
class PexCodecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decodesAnyBytesOrRefusesThemAndReencodesWhatItDecodes(byte[] input) throws ProtocolException {
        PexMessage decoded;
        try {
            decoded = PexCodec.decode(input);
        } catch (ProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(decoded.added()).hasSizeLessThanOrEqualTo(2 * PexCodec.MAX_ENTRIES);
        assertThat(decoded.dropped()).hasSizeLessThanOrEqualTo(2 * PexCodec.MAX_ENTRIES);
        assertThat(PexCodec.decode(decoded.encode())).isEqualTo(decoded);
    }
}
