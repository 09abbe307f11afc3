package dev.jtorrent.dht;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any datagram either decodes as a KRPC message or is refused with a {@link KrpcException}, never anything else; and
 * what decodes encodes to a message that decodes to the same. Run by {@code ./mvnw verify} on its seed corpus in
 * {@code src/test/resources/dev/jtorrent/dht/KrpcFuzzTestInputs} with the unit tests, then fuzzed for
 * {@code fuzz.duration} (see core/pom.xml).
 */
class KrpcFuzzTest {

    // maxDuration applies when the test is fuzzed from an IDE; the Maven build overrides it with fuzz.duration.
    @FuzzTest(maxDuration = "30s")
    void decodesAnyDatagramOrRefusesIt(byte[] input) {
        Krpc message;
        try {
            message = KrpcCodec.decode(input);
        } catch (KrpcException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        try {
            assertThat(KrpcCodec.decode(KrpcCodec.encode(message))).isEqualTo(message);
        } catch (KrpcException e) {
            throw new AssertionError("re-encoded " + message + " is refused: " + e.getMessage(), e);
        }
    }
}
