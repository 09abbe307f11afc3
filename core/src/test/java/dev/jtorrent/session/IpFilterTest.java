package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Block lists: the formats in use, merged ranges looked up by binary search, bad lines counted, the bound. */
class IpFilterTest {

    @Test
    void aP2pListBlocksItsRangesAndNothingElse() throws IOException {
        IpFilterParser.Result result = parse("""
                # PeerGuardian P2P
                Some Org:1.2.3.0-1.2.3.255
                Example, Inc: with colons:10.0.0.5-10.0.0.9

                """);

        assertThat(result.blocked()).isEqualTo(2);
        assertThat(result.skipped()).isZero();
        IpFilter filter = result.filter();
        assertThat(filter.blocks(ip("1.2.3.0"))).isTrue();
        assertThat(filter.blocks(ip("1.2.3.255"))).isTrue();
        assertThat(filter.blocks(ip("1.2.4.0"))).isFalse();
        assertThat(filter.blocks(ip("1.2.2.255"))).isFalse();
        assertThat(filter.blocks(ip("10.0.0.4"))).isFalse();
        assertThat(filter.blocks(ip("10.0.0.7"))).isTrue();
        assertThat(filter.blocks(ip("10.0.0.10"))).isFalse();
    }

    @Test
    void aDatListReadsLeadingZerosAsDecimalAndAllowsLevelsAbove127() throws IOException {
        IpFilterParser.Result result = parse("""
                001.002.003.000 - 001.002.003.255 , 000 , blocked
                010.000.000.008 - 010.000.000.009 , 127 , blocked too
                192.168.000.000 - 192.168.255.255 , 128 , allowed
                """);

        assertThat(result.blocked()).isEqualTo(2);
        assertThat(result.allowed()).isEqualTo(1);
        assertThat(result.filter().blocks(ip("1.2.3.17"))).isTrue();
        assertThat(result.filter().blocks(ip("10.0.0.8"))).as("010 is ten, not octal eight").isTrue();
        assertThat(result.filter().blocks(ip("8.0.0.8"))).isFalse();
        assertThat(result.filter().blocks(ip("192.168.1.1"))).isFalse();
    }

    @Test
    void cidrBlocksSingleAddressesAndIpv6RangesAreRead() throws IOException {
        IpFilterParser.Result result = parse("""
                10.0.0.0/8
                // a comment
                203.0.113.7
                2001:db8::/32
                2001:db9::10 - 2001:db9::20
                """);

        assertThat(result.skipped()).isZero();
        IpFilter filter = result.filter();
        assertThat(filter.blocks(ip("10.255.255.255"))).isTrue();
        assertThat(filter.blocks(ip("11.0.0.0"))).isFalse();
        assertThat(filter.blocks(ip("203.0.113.7"))).isTrue();
        assertThat(filter.blocks(ip("203.0.113.8"))).isFalse();
        assertThat(filter.blocks(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(filter.blocks(ip("2001:db9::15"))).isTrue();
        assertThat(filter.blocks(ip("2001:db9::21"))).isFalse();
        assertThat(filter.blocks(ip("::1"))).isFalse();
        assertThat(filter.blocks(ip("::ffff:10.1.2.3"))).as("IPv4-mapped, looked up as IPv4").isTrue();
    }

    @Test
    void aGzippedListIsRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("x:1.2.3.0-1.2.3.255\n".getBytes(StandardCharsets.US_ASCII));
        }

        IpFilterParser.Result result = IpFilterParser.parse(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(result.filter().blocks(ip("1.2.3.4"))).isTrue();
    }

    @Test
    void malformedLinesAreSkippedCountedAndNamedWithoutAHostNameEverResolved() throws IOException {
        IpFilterParser.Result result = parse("""
                good:1.2.3.0-1.2.3.255
                garbage
                1.2.3.256 - 1.2.3.1 , 0 , bad address
                1.2.3.9 - 1.2.3.1 , 0 , backwards
                localhost
                example.com:1.2.3.0-x
                1.2.3.0 - 1.2.3.255 , high , level not a number
                10.0.0.0/33
                1.2.3.4 - ::1
                """ + "x".repeat(IpFilterParser.MAX_LINE + 1) + "\n");

        assertThat(result.blocked()).isEqualTo(1);
        assertThat(result.skipped()).isEqualTo(9);
        assertThat(result.problems()).hasSize(IpFilterParser.MAX_PROBLEMS - 1);
        assertThat(result.problems().getFirst()).startsWith("line 2: ");
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("line 10: longer than"));
    }

    @Test
    void reasonsAreKeptForTheFirstTenSkippedLinesAndTheRestCounted() throws IOException {
        IpFilterParser.Result result = parse("junk\n".repeat(25));
        assertThat(result.skipped()).isEqualTo(25);
        assertThat(result.problems()).hasSize(IpFilterParser.MAX_PROBLEMS);
    }

    @Test
    void overlappingAndAdjacentRangesAreMerged() {
        IpFilter filter = IpFilter.builder()
                .block(ip("1.0.0.0"), ip("1.0.0.10"))
                .block(ip("1.0.0.5"), ip("1.0.0.20"))
                .block(ip("1.0.0.21"), ip("1.0.0.30"))
                .block(ip("1.0.0.40"), ip("1.0.0.50"))
                .block(ip("255.255.255.0"), ip("255.255.255.255"))
                .block(ip("255.0.0.0"), ip("255.255.255.254"))
                .block(ip("::1"), ip("::5"))
                .block(ip("::6"), ip("::9"))
                .block(ip("::"), ip("::1"))
                .build();

        assertThat(filter.ranges()).isEqualTo(4);
        assertThat(filter.blocks(ip("1.0.0.25"))).isTrue();
        assertThat(filter.blocks(ip("1.0.0.35"))).isFalse();
        assertThat(filter.blocks(ip("255.255.255.255"))).isTrue();
        assertThat(filter.blocks(ip("::8"))).isTrue();
        assertThat(filter.blocks(ip("::a"))).isFalse();
    }

    /** A random set of ranges, against a plain scan of them. */
    @Test
    void lookupsAgreeWithAScanOfTheRanges() {
        SplittableRandom random = new SplittableRandom(17);
        long[][] ranges = new long[500][];
        IpFilter.Builder builder = IpFilter.builder();
        for (int i = 0; i < ranges.length; i++) {
            long start = random.nextLong(1L << 32);
            long end = Math.min((1L << 32) - 1, start + random.nextLong(1 << 20));
            ranges[i] = new long[] {start, end};
            builder.block(ipv4(start), ipv4(end));
        }
        IpFilter filter = builder.build();
        for (int i = 0; i < 20_000; i++) {
            long address = random.nextLong(1L << 32);
            boolean expected = false;
            for (long[] range : ranges) {
                expected |= address >= range[0] && address <= range[1];
            }
            assertThat(filter.blocks(ipv4(address))).as("%d", address).isEqualTo(expected);
        }
    }

    @Test
    void theBuilderRefusesMixedFamiliesAndBackwardsRanges() {
        assertThatThrownBy(() -> IpFilter.builder().block(ip("1.2.3.4"), ip("::1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpFilter.builder().block(ip("1.2.3.4"), ip("1.2.3.3")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpFilter.builder().block(ip("::2"), ip("::1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(IpFilter.NONE.isEmpty()).isTrue();
    }

    /** 2^22 + 3 ranges in a list made as it is read: the ranges past the bound are skipped and counted. */
    @Test
    void rangesPastTheBoundAreSkippedAndCounted() throws IOException {
        int lines = IpFilter.MAX_RANGES + 3;
        IpFilterParser.Result result = IpFilterParser.parse(new GeneratedList(lines));

        assertThat(result.blocked()).isEqualTo(IpFilter.MAX_RANGES);
        assertThat(result.skipped()).isEqualTo(3);
        assertThat(result.problems().getFirst()).contains("more than " + IpFilter.MAX_RANGES + " ranges");
        assertThat(result.filter().blocks(ipv4(0))).isTrue();
        assertThat(result.filter().blocks(ipv4(IpFilter.MAX_RANGES - 1))).isTrue();
        assertThat(result.filter().blocks(ipv4(IpFilter.MAX_RANGES))).as("past the bound").isFalse();
    }

    /** Line i is the single address i, written as it is read: no list held in memory. */
    private static final class GeneratedList extends InputStream {
        private final int lines;
        private int line;
        private byte[] current = new byte[0];
        private int at;

        GeneratedList(int lines) {
            this.lines = lines;
        }

        @Override
        public int read() {
            if (at == current.length) {
                if (line == lines) {
                    return -1;
                }
                long address = line++;
                current = ((address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "."
                        + (address & 255) + "\n").getBytes(StandardCharsets.US_ASCII);
                at = 0;
            }
            return current[at++];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }

    private static IpFilterParser.Result parse(String list) throws IOException {
        return IpFilterParser.parse(new ByteArrayInputStream(list.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ipv4(long address) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
