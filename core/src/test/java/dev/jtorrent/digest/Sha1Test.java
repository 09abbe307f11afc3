package dev.jtorrent.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jtorrent.Prerequisite;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Sha1Test {
    private static final List<Integer> LENGTHS =
            List.of(0, 1, 3, 55, 56, 63, 64, 65, 127, 16_384, 1 << 20, (1 << 20) + 7);

    /** The buffers a digest meets: heap and direct, sliced, read-only, with a position and a limit inside. */
    private static final List<Function<byte[], ByteBuffer>> SHAPES = List.of(
            ByteBuffer::wrap,
            bytes -> ByteBuffer.wrap(bytes).asReadOnlyBuffer(),
            bytes -> inside(ByteBuffer.allocate(bytes.length + 40), bytes),
            bytes -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(),
            bytes -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer(),
            bytes -> inside(ByteBuffer.allocateDirect(bytes.length + 40), bytes),
            bytes -> inside(ByteBuffer.allocateDirect(bytes.length + 40), bytes).slice());

    static Stream<Arguments> implementations() {
        return Stream.of(Arguments.of("create", Sha1.create()), Arguments.of("jdk", Sha1.jdk()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void givesTheStandardDigestForEveryLengthAndBufferWithoutMovingIt(String name, Sha1 sha1) throws Exception {
        Random random = new Random(20261130L);
        for (int length : LENGTHS) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            byte[] expected = MessageDigest.getInstance("SHA-1").digest(content);
            for (int shape = 0; shape < SHAPES.size(); shape++) {
                ByteBuffer buffer = SHAPES.get(shape).apply(content);
                int position = buffer.position();
                int limit = buffer.limit();
                assertThat(sha1.digest(buffer)).as("length %d, shape %d", length, shape).isEqualTo(expected);
                assertThat(sha1.matches(expected, buffer)).isTrue();
                assertThat(buffer.position()).isEqualTo(position);
                assertThat(buffer.limit()).isEqualTo(limit);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void givesTheFipsDigestOfAbc(String name, Sha1 sha1) {
        assertThat(HexFormat.of().formatHex(sha1.digest(ByteBuffer.wrap("abc".getBytes()))))
                .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void matchesNothingWithOneBitFlippedAndRefusesAHashOfTheWrongLength(String name, Sha1 sha1) {
        byte[] content = new byte[1000];
        byte[] hash = sha1.digest(ByteBuffer.wrap(content));
        content[999] ^= 1;
        assertThat(sha1.matches(hash, ByteBuffer.wrap(content))).isFalse();
        assertThatThrownBy(() -> sha1.matches(new byte[19], ByteBuffer.allocate(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a SHA-1 is 20 bytes, not 19");
    }

    @Test
    void oneDigestFromCreateServesManyThreadsAtOnce() throws Exception {
        byte[] content = new byte[256 * 1024];
        new Random(7).nextBytes(content);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(content);
        ByteBuffer shared = ByteBuffer.allocateDirect(content.length).put(content).flip();
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Sha1 sha1 = Sha1.create();
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50; i++) {
                    if (!sha1.matches(expected, shared.duplicate())) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }

    /**
     * Where libcrypto can be used, it is: on Linux, on a JDK of release 22 or newer, with native access enabled
     * (the build's test JVMs have it). CI runs there, so under {@code CI=true} a JDK digest fails this test.
     */
    @Test
    void usesLibcryptoOnLinuxWithJdk22() {
        boolean linux = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");
        Prerequisite.require(linux && Runtime.version().feature() >= 22,
                "libcrypto is used on Linux with JDK 22 or newer only; this is " + System.getProperty("os.name")
                        + " with JDK " + Runtime.version().feature());
        Prerequisite.require(Sha1.implementation().startsWith("OpenSSL"), "libcrypto is not used here: "
                + Sha1.implementation() + "; install OpenSSL 3 (Debian: libssl3) to test it");
        assertThat(Sha1.implementation()).isEqualTo("OpenSSL libcrypto.so.3");
        assertThat(Sha1.create().getClass().getSimpleName()).isEqualTo("OpenSslSha1");
    }

    private static ByteBuffer inside(ByteBuffer buffer, byte[] bytes) {
        buffer.position(17).put(bytes);
        return buffer.limit(buffer.position()).position(17);
    }
}
