package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormParserTest {
    private final FormParser parser = new FormParser(10, 100);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAQueryAndAnUrlEncodedBodyTheBodyWinning() throws Exception {
        FormData form = parser.parse("a=1&b=x%20y&c", "application/x-www-form-urlencoded; charset=UTF-8",
                bytes("a=2&d=%C3%A9+%2B&&e="));
        assertThat(form.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "2", "b", "x y", "c", "",
                "d", "é +", "e", ""));
        assertThat(form.files()).isEmpty();
    }

    @Test
    void aBodyOfAnotherTypeAddsNothing() throws Exception {
        assertThat(parser.parse(null, "application/json", bytes("{\"a\":1}")).fields()).isEmpty();
        assertThat(parser.parse(null, null, bytes("a=1")).fields()).isEmpty();
    }

    @Test
    void refusesBadEscapesAndInvalidUtf8() {
        for (String bad : new String[]{"a=%", "a=%2", "a=%zz", "a=%C3", "%FF=1"}) {
            assertThatThrownBy(() -> parser.parse(bad, null, new byte[0])).as(bad)
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        }
    }

    @Test
    void countsFieldsAcrossTheQueryAndTheBody() throws Exception {
        assertThat(parser.parse("a=1&b=2&c=3&d=4&e=5", "application/x-www-form-urlencoded",
                bytes("f=6&g=7&h=8&i=9&j=10")).fields()).hasSize(10);
        assertThatThrownBy(() -> parser.parse("a=1&b=2&c=3&d=4&e=5", "application/x-www-form-urlencoded",
                bytes("f=6&g=7&h=8&i=9&j=10&k=11")))
                .hasMessage("too many form fields: at most 10");
    }

    static byte[] multipart(String boundary, String... parts) {
        StringBuilder body = new StringBuilder("preamble\r\n");
        for (String part : parts) {
            body.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\nepilogue");
        return bytes(body.toString());
    }

    @Test
    void readsMultipartFieldsAndFiles() throws Exception {
        byte[] body = multipart("XyZ",
                "Content-Disposition: form-data; name=\"savepath\"\r\n\r\n/srv/a;b",
                "Content-Disposition: form-data; name=\"torrents\"; filename=\"a;\\\"b.torrent\"\r\n"
                        + "Content-Type: application/x-bittorrent\r\n\r\nd4:infoe\r\n--Xy",
                "content-disposition: form-data; name=torrents; filename=second.torrent\r\n\r\n");
        FormData form = parser.parse("x=1", "multipart/form-data; boundary=\"XyZ\"", body);
        assertThat(form.fields()).isEqualTo(new LinkedHashMap<>(Map.of("x", "1", "savepath", "/srv/a;b")));
        assertThat(form.files()).hasSize(2);
        assertThat(new String(form.files().get(0).content(), StandardCharsets.UTF_8))
                .isEqualTo("d4:infoe\r\n--Xy");
        assertThat(form.files().get(1).filename()).isEqualTo("second.torrent");
        assertThat(form.files().get(1).content()).isEmpty();
    }

    @Test
    void aFileOverItsLimitIsTooLarge() throws Exception {
        String within = "a".repeat(100);
        assertThat(parser.parse(null, "multipart/form-data; boundary=b", multipart("b",
                "Content-Disposition: form-data; name=f; filename=x\r\n\r\n" + within)).files()).hasSize(1);
        assertThatThrownBy(() -> parser.parse(null, "multipart/form-data; boundary=b", multipart("b",
                "Content-Disposition: form-data; name=f; filename=x\r\n\r\n" + within + "a")))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(413));
    }

    @Test
    void countsMultipartParts() {
        String[] parts = new String[11];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = "Content-Disposition: form-data; name=f" + i + "\r\n\r\nv";
        }
        assertThatThrownBy(() -> parser.parse(null, "multipart/form-data; boundary=b", multipart("b", parts)))
                .hasMessage("too many form fields: at most 10");
    }

    @Test
    void refusesBrokenMultipartBodies() {
        Map<String, byte[]> broken = new LinkedHashMap<>();
        broken.put("no boundary in the body", bytes("just text"));
        broken.put("never closed", bytes("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue"));
        broken.put("headers never end", bytes("--b\r\nContent-Disposition: form-data; name=a\r\n"));
        broken.put("no disposition", bytes("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"));
        broken.put("no name", bytes("--b\r\nContent-Disposition: form-data; filename=x\r\n\r\nv\r\n--b--"));
        broken.put("no line break", bytes("--bjunk\r\n\r\nv\r\n--b--"));
        broken.put("headers too long", bytes("--b\r\nContent-Disposition: form-data; name=a\r\nX: "
                + "h".repeat(FormParser.MAX_PART_HEADER_BYTES) + "\r\n\r\nv\r\n--b--"));
        broken.forEach((what, body) -> assertThatThrownBy(
                () -> parser.parse(null, "multipart/form-data; boundary=b", body)).as(what)
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400)));
        assertThatThrownBy(() -> parser.parse(null, "multipart/form-data", bytes("x")))
                .hasMessage("a multipart body without a boundary");
        assertThatThrownBy(() -> parser.parse(null, "multipart/form-data; boundary=" + "b".repeat(71), bytes("x")))
                .isInstanceOf(ApiException.class);
        byte[] invalidUtf8 = bytes("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nXX\r\n--b--");
        invalidUtf8[invalidUtf8.length - 9] = (byte) 0xff; // the first X
        assertThatThrownBy(() -> parser.parse(null, "multipart/form-data; boundary=b", invalidUtf8))
                .hasMessageContaining("not valid UTF-8");
    }
}
