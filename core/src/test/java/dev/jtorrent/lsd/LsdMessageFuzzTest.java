package dev.jtorrent.lsd;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes either parse as an LSD announce or are refused with an {@link LsdException}, never another exception;
 * whatever parses encodes within the BEP's size bound to a datagram that parses the same, and encoding is a fixed
 * point from there (the bytes heard may differ: header names in other cases, unknown headers, extra spaces). Under
 * plain {@code mvn test} this runs the seed corpus in {@code LsdMessageFuzzTestInputs}; with Jazzer's fuzzing mode it
 * explores.
 */
class LsdMessageFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesAnyBytesOrRefusesThemAndReencodesWhatItParses(byte[] input) throws LsdException {
        LsdMessage parsed;
        try {
            parsed = LsdMessage.parse(input);
        } catch (LsdException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        byte[] encoded = parsed.encode();
        assertThat(encoded.length).isLessThanOrEqualTo(LsdMessage.MAX_SENT_BYTES);
        LsdMessage again = LsdMessage.parse(encoded);
        assertThat(again).isEqualTo(parsed);
        assertThat(again.encode()).isEqualTo(encoded);
    }
}
