package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsdMessageTest {
    private static final InfoHash A = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    private static final InfoHash B = InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98");
    private static final String HASH_A = A.hex();

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** An announce of A from port 6881 to the IPv4 group, with {@code headers} in place of the usual ones. */
    private static byte[] announce(String headers) {
        return ascii("BT-SEARCH * HTTP/1.1\r\n" + headers + "\r\n\r\n");
    }

    private static List<InfoHash> hashes(int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            byte[] bytes = new byte[InfoHash.LENGTH];
            bytes[0] = (byte) i;
            bytes[1] = (byte) (i >> 8);
            return InfoHash.of(bytes);
        }).toList();
    }

    @Test
    void encodesAsLibtorrentDoes() {
        LsdMessage message = new LsdMessage(LsdGroup.IPV4, 6881, List.of(A), Optional.of("5a0f3c"));

        assertThat(text(message.encode())).isEqualTo("BT-SEARCH * HTTP/1.1\r\n"
                + "Host: 239.192.152.143:6771\r\n"
                + "Port: 6881\r\n"
                + "Infohash: 0123456789abcdef0123456789abcdef01234567\r\n"
                + "cookie: 5a0f3c\r\n"
                + "\r\n\r\n");
    }

    @Test
    void roundTripsSeveralInfoHashesToEitherGroupWithAndWithoutACookie() throws LsdException {
        for (LsdMessage message : List.of(
                new LsdMessage(LsdGroup.IPV4, 1, List.of(A, B), Optional.of("c00k1e")),
                new LsdMessage(LsdGroup.IPV6, 65535, List.of(B), Optional.empty()),
                new LsdMessage(LsdGroup.IPV6, 51413, hashes(LsdMessage.MAX_INFO_HASHES), Optional.of("x")))) {
            assertThat(LsdMessage.parse(message.encode())).isEqualTo(message);
        }
        assertThat(text(new LsdMessage(LsdGroup.IPV6, 6881, List.of(A), Optional.empty()).encode()))
                .contains("\r\nHost: [ff15::efc0:988f]:6771\r\n").doesNotContain("cookie");
    }

    @Test
    void theLargestAnnounceFitsTheBepsBound() {
        LsdMessage largest = new LsdMessage(LsdGroup.IPV6, 65535, hashes(LsdMessage.MAX_INFO_HASHES),
                Optional.of("c".repeat(LsdMessage.MAX_COOKIE_LENGTH)));

        assertThat(largest.encode().length).isLessThanOrEqualTo(LsdMessage.MAX_SENT_BYTES);
    }

    @Test
    void readsHeaderNamesInAnyCaseAndIgnoresUnknownHeadersAndSpaces() throws LsdException {
        LsdMessage message = LsdMessage.parse(announce("HOST:239.192.152.143:6771\r\n"
                + "x-client: something new\r\n"
                + "pOrT:   6881 \t\r\n"
                + "infohash: " + HASH_A.toUpperCase() + "\r\n"
                + "INFOHASH: " + B.hex() + "\r\n"
                + "Cookie: abc"));

        assertThat(message).isEqualTo(new LsdMessage(LsdGroup.IPV4, 6881, List.of(A, B), Optional.of("abc")));
    }

    @Test
    void acceptsTheHeadersEndedByOneEmptyLineOrMore() throws LsdException {
        String headers = "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: "
                + HASH_A + "\r\n\r\n";
        assertThat(LsdMessage.parse(ascii(headers)).infoHashes()).containsExactly(A);
        assertThat(LsdMessage.parse(ascii(headers + "\r\n\r\n")).infoHashes()).containsExactly(A);
    }

    /**
     * Malformed announces and what the refusal names. {@code R} stands for the request line, {@code V4} for the
     * IPv4 {@code Host} header, {@code H} for a valid info hash.
     */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("BT-SEARCH * HTTP/1.0\r\nV4Port: 1\r\nInfohash: H\r\n\r\n", "not a BT-SEARCH"),
                Arguments.of("bt-search * HTTP/1.1\r\nV4Port: 1\r\nInfohash: H\r\n\r\n", "not a BT-SEARCH"),
                Arguments.of("NOTIFY * HTTP/1.1\r\nV4\r\n", "not a BT-SEARCH"),
                Arguments.of("\r\n\r\n", "empty request line"),
                Arguments.of("RPort: 1\r\nInfohash: H\r\n\r\n", "no Host"),
                Arguments.of("RV4Infohash: H\r\n\r\n", "no Port"),
                Arguments.of("RV4Port: 1\r\n\r\n", "no Infohash"),
                Arguments.of("RHost: 192.168.1.1:6771\r\nPort: 1\r\nInfohash: H\r\n\r\n", "not an LSD group"),
                Arguments.of("RV4V4\r\n", "two Host"),
                Arguments.of("RPort: 1\r\nport: 2\r\n\r\n", "two Port"),
                Arguments.of("Rcookie: a\r\nCOOKIE: b\r\n\r\n", "two cookie"),
                Arguments.of("RV4Port: 1\r\nInfohash: H\r\nInfohash: H\r\n\r\n", "twice"),
                Arguments.of("RV4Port: 1\r\nInfohash: H\r\n", "do not end"),
                Arguments.of("RV4Port: 1\r\nInfohash: H", "do not end"),
                Arguments.of("BT-SEARCH * HTTP/1.1\nV4\r\n", "LF alone"),
                Arguments.of("BT-SEARCH * HTTP/1.1\r\rV4\r\n", "CR not followed"),
                Arguments.of("RV4\r\nbody", "no body"),
                Arguments.of("RV4\r\n\r", "no body"),
                Arguments.of("R V4\r\n", "folded"),
                Arguments.of("RHost 239.192.152.143:6771\r\n\r\n", "not a header name"),
                Arguments.of("RHost\r\n\r\n", "without a colon"),
                Arguments.of("R: 239.192.152.143:6771\r\n\r\n", "without a name"),
                Arguments.of("RHo st: 239.192.152.143:6771\r\n\r\n", "not a header name"),
                Arguments.of("Rcookie: \r\n\r\n", "a cookie is"),
                Arguments.of("Rcookie: two words\r\n\r\n", "a cookie is"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedAnnouncesSayingWhy(String datagram, String reason) {
        byte[] bytes = ascii(datagram.replaceFirst("^R", "BT-SEARCH * HTTP/1.1\r\n")
                .replace("V4", "Host: 239.192.152.143:6771\r\n").replace("Infohash: H", "Infohash: " + HASH_A));

        assertThatThrownBy(() -> LsdMessage.parse(bytes)).isInstanceOf(LsdException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "99999", "-1", "+1", "06881", "6881x", "", "1 2", "123456", "0x1A"})
    void refusesPortsThatAreNotANumberFrom1To65535(String port) {
        byte[] datagram = announce("Host: 239.192.152.143:6771\r\nPort: " + port + "\r\nInfohash: " + HASH_A);

        assertThatThrownBy(() -> LsdMessage.parse(datagram)).isInstanceOf(LsdException.class)
                .hasMessageContaining("Port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef0123456789abcdef0123456", "0123456789abcdef0123456789abcdef012345678",
            "0123456789abcdef0123456789abcdef0123456g", "", "0123456789abcdef 0123456789abcdef0123456"})
    void refusesInfoHashesOtherThanFortyHexDigits(String hash) {
        byte[] datagram = announce("Host: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: " + hash);

        assertThatThrownBy(() -> LsdMessage.parse(datagram)).isInstanceOf(LsdException.class)
                .hasMessageContaining("40 hex digits");
    }

    @Test
    void refusesMoreInfoHashesThanTheBound() {
        StringBuilder headers = new StringBuilder("Host: 239.192.152.143:6771\r\nPort: 6881");
        hashes(LsdMessage.MAX_INFO_HASHES + 1).forEach(h -> headers.append("\r\nInfohash: ").append(h.hex()));

        assertThatThrownBy(() -> LsdMessage.parse(announce(headers.toString()))).isInstanceOf(LsdException.class)
                .hasMessageContaining("more than " + LsdMessage.MAX_INFO_HASHES);
    }

    @Test
    void refusesADatagramLongerThanTheBoundAndTakesOneJustWithinIt() throws LsdException {
        String head = "Host: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: " + HASH_A + "\r\nX-Pad: ";
        int fixed = announce(head).length;
        byte[] within = announce(head + "p".repeat(LsdMessage.MAX_DATAGRAM_BYTES - fixed));
        byte[] over = announce(head + "p".repeat(LsdMessage.MAX_DATAGRAM_BYTES - fixed + 1));

        assertThat(within).hasSize(LsdMessage.MAX_DATAGRAM_BYTES);
        assertThat(LsdMessage.parse(within).infoHashes()).containsExactly(A);
        assertThatThrownBy(() -> LsdMessage.parse(over)).isInstanceOf(LsdException.class)
                .hasMessageContaining("more than " + LsdMessage.MAX_DATAGRAM_BYTES);
    }

    @Test
    void refusesBytesThatAreNotPrintableAscii() {
        byte[] datagram = announce("Host: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: " + HASH_A
                + "\r\nX-Name: caf\u00e9");
        byte[] nul = announce("Host: 239.192.152.143:6771\u0000\r\nPort: 6881\r\nInfohash: " + HASH_A);

        assertThatThrownBy(() -> LsdMessage.parse(datagram)).hasMessageContaining("not printable ASCII");
        assertThatThrownBy(() -> LsdMessage.parse(nul)).hasMessageContaining("not printable ASCII");
    }

    @Test
    void theRecordRefusesWhatCannotBeSent() {
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 0, List.of(A), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 65536, List.of(A), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 1, List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 1, hashes(LsdMessage.MAX_INFO_HASHES + 1),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 1, List.of(A, A), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 1, List.of(A), Optional.of("a b")))
                .isInstanceOf(IllegalArgumentException.class);
        String longCookie = "c".repeat(LsdMessage.MAX_COOKIE_LENGTH + 1);
        assertThatThrownBy(() -> new LsdMessage(LsdGroup.IPV4, 1, List.of(A), Optional.of(longCookie)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
