package dev.jtorrent.mse;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class Rc4Test {
    private static final HexFormat HEX = HexFormat.of();
    /** The last offset RFC 6229 lists is 4096 (0x1000), 16 bytes long. */
    private static final int STREAM = 4096 + 16;

    @Test
    void matchesEveryVectorOfRfc6229ForKeysOf40To256Bits() throws Exception {
        Map<String, Map<Integer, String>> vectors = vectors();
        assertThat(vectors).hasSize(4);
        for (var key : vectors.entrySet()) {
            byte[] stream = new byte[STREAM];
            Rc4.raw(HEX.parseHex(key.getKey())).apply(stream, 0, stream.length);
            assertThat(key.getValue().keySet()).containsExactly(0, 16, 240, 256, 496, 512, 752, 768, 1008, 1024,
                    1520, 1536, 2032, 2048, 3056, 3072, 4080, 4096);
            for (var line : key.getValue().entrySet()) {
                int offset = line.getKey();
                assertThat(HEX.formatHex(Arrays.copyOfRange(stream, offset, offset + 16)))
                        .as("key %s at offset %d", key.getKey(), offset).isEqualTo(line.getValue());
            }
        }
    }

    @Test
    void dropping1024StartsAtTheVectorOfOffset1024() throws Exception {
        var first = vectors().entrySet().iterator().next();
        byte[] sixteen = new byte[16];
        Rc4.dropping1024(HEX.parseHex(first.getKey())).apply(sixteen, 0, 16);
        assertThat(HEX.formatHex(sixteen)).isEqualTo(first.getValue().get(1024));
    }

    @Test
    void givesTheJdksArcfourStreamOverHeapAndDirectBuffersInPieces() throws Exception {
        byte[] key = new byte[20];
        new SplittableRandom(7).nextBytes(key);
        byte[] data = new byte[100_000];
        new SplittableRandom(8).nextBytes(data);
        Cipher jdk = Cipher.getInstance("ARCFOUR");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
        byte[] expected = jdk.update(data);

        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(data.length + 10) : ByteBuffer.allocate(data.length + 10);
            buffer.position(10);
            buffer.put(data).position(10);
            Rc4 rc4 = Rc4.raw(key);
            // pieces of odd sizes, one larger than the scratch chunk, so the keystream carries across calls
            int[] sizes = {1, 7, 16_000, 3, 50_000};
            int at = 10;
            for (int size : sizes) {
                rc4.apply(buffer.limit(at + size).position(at));
                assertThat(buffer.position()).isEqualTo(at + size);
                at += size;
            }
            rc4.apply(buffer.limit(buffer.capacity()).position(at));
            byte[] out = new byte[data.length];
            buffer.get(10, out);
            assertThat(out).as(direct ? "direct" : "heap").isEqualTo(expected);
        }
    }

    @Test
    void appliedTwiceGivesTheInputBack() {
        byte[] key = "a key of twenty byte".getBytes(StandardCharsets.US_ASCII);
        byte[] data = "the BitTorrent handshake and what follows".getBytes(StandardCharsets.US_ASCII);
        byte[] copy = data.clone();
        Rc4.dropping1024(key).apply(copy, 0, copy.length);
        assertThat(copy).isNotEqualTo(data);
        Rc4.dropping1024(key).apply(copy, 0, copy.length);
        assertThat(copy).isEqualTo(data);
    }

    private static Map<String, Map<Integer, String>> vectors() throws IOException {
        Map<String, Map<Integer, String>> vectors = new LinkedHashMap<>();
        Map<Integer, String> current = null;
        try (var in = new BufferedReader(new InputStreamReader(
                Rc4Test.class.getResourceAsStream("rfc6229.txt"), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] words = line.split(" ", 2);
                if (words[0].equals("key")) {
                    current = new LinkedHashMap<>();
                    vectors.put(words[1], current);
                } else {
                    current.put(Integer.parseInt(words[0], 16), words[1].replace(" ", ""));
                }
            }
        }
        return vectors;
    }
}
