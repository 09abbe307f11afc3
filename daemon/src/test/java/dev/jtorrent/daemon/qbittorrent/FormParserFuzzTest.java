package dev.jtorrent.daemon.qbittorrent;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds arbitrary bytes to the Web API's {@link FormParser}: the first byte picks the body's type (an even one a
 * url-encoded body, an odd one a multipart body with the boundary {@code b}), the rest is the body. It may only
 * refuse with an {@link ApiException} of status 400 or 413 and a one-line message, and what it accepts keeps its
 * bounds. Run on its seed corpus ({@code src/test/resources/.../FormParserFuzzTestInputs}) with the unit tests, and
 * fuzzed for {@code fuzz.duration} in {@code verify} (see daemon/pom.xml).
 */
class FormParserFuzzTest {
    static final int MAX_FIELDS = 8;
    static final int MAX_FILE_BYTES = 64;

    @FuzzTest(maxDuration = "30s")
    void keepsItsBoundsAndRefusesOnlyWithApiException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String type = (input[0] & 1) == 0 ? "application/x-www-form-urlencoded" : "multipart/form-data; boundary=b";
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        FormData form;
        try {
            form = new FormParser(MAX_FIELDS, MAX_FILE_BYTES).parse(null, type, body);
        } catch (ApiException e) {
            assertThat(e.status()).isIn(400, 413);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(form.fields().size() + form.files().size()).isLessThanOrEqualTo(MAX_FIELDS);
        for (FormData.Upload file : form.files()) {
            assertThat(file.content().length).isLessThanOrEqualTo(MAX_FILE_BYTES);
        }
    }
}
