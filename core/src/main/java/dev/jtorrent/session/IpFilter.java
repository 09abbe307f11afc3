package dev.jtorrent.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A block list: ranges of IPv4 and IPv6 addresses that a session neither dials nor accepts connections from, and
 * whose connected peers it closes ({@link Session#setIpFilter}). Immutable and thread-safe.
 *
 * <p>The ranges are kept sorted and merged (overlapping and adjacent ranges become one), so that a lookup is a
 * binary search: a few hundred nanoseconds even for the largest lists in use (level1, about 200,000 ranges). An
 * IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) is looked up as the IPv4 address it maps, as Java already turns
 * such a literal into an {@link Inet4Address}.
 *
 * <p>Made with a {@link #builder()}, or read from a list file with {@link IpFilterParser#parse}. At most {@link
 * #MAX_RANGES} ranges, before merging: 2^22 IPv4 ranges take about 100 MiB while they are sorted and merged (32 MiB
 * once built), and that is far above the ~250,000 of the largest lists that PeerGuardian, Transmission and
 * qBittorrent users load.
 */
public final class IpFilter {
    /** Ranges given at most, before merging; the parser skips and counts those beyond. */
    public static final int MAX_RANGES = 1 << 22;
    /** Blocks nothing. */
    public static final IpFilter NONE = builder().build();

    /** Merged IPv4 ranges, sorted: start and end of each, unsigned, as ints. */
    private final int[] starts4;
    private final int[] ends4;
    /** Merged IPv6 ranges, sorted: for range i, starts6[2i] and [2i+1] are the high and low 64 bits of its start. */
    private final long[] starts6;
    private final long[] ends6;

    private IpFilter(int[] starts4, int[] ends4, long[] starts6, long[] ends6) {
        this.starts4 = starts4;
        this.ends4 = ends4;
        this.starts6 = starts6;
        this.ends6 = ends6;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code address} is in one of the ranges. */
    public boolean blocks(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return blocks4(ByteBuffer.wrap(bytes).getInt());
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return blocks6(buffer.getLong(), buffer.getLong());
    }

    /** The ranges after merging, of both families. */
    public int ranges() {
        return starts4.length + starts6.length / 2;
    }

    /** Whether it blocks nothing at all. */
    public boolean isEmpty() {
        return ranges() == 0;
    }

    private boolean blocks4(int address) {
        int low = 0;
        int high = starts4.length - 1;
        int found = -1; // the last range starting at or before the address
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Integer.compareUnsigned(starts4[mid], address) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && Integer.compareUnsigned(address, ends4[found]) <= 0;
    }

    private boolean blocks6(long hi, long lo) {
        int low = 0;
        int high = starts6.length / 2 - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(starts6[2 * mid], starts6[2 * mid + 1], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && compare(hi, lo, ends6[2 * found], ends6[2 * found + 1]) <= 0;
    }

    /** Compares two 128-bit unsigned numbers, each as its high and low halves. */
    static int compare(long hiA, long loA, long hiB, long loB) {
        int high = Long.compareUnsigned(hiA, hiB);
        return high != 0 ? high : Long.compareUnsigned(loA, loB);
    }

    @Override
    public String toString() {
        return "IpFilter[" + starts4.length + " IPv4 ranges, " + starts6.length / 2 + " IPv6 ranges]";
    }

    /** Collects ranges; {@link #build()} sorts and merges them. Not thread-safe. */
    public static final class Builder {
        /**
         * Each IPv4 range in one long: its start (its top bit flipped, so that signed order is unsigned order) in the
         * high half, its end in the low half. Sorting these sorts the ranges by start, at 8 bytes a range.
         */
        private long[] ranges4 = new long[16];
        private int count4;
        /** Each IPv6 range as four longs: start high, start low, end high, end low. */
        private long[] ranges6 = new long[16];
        private int count6;

        private Builder() {
        }

        /** Ranges added so far, of both families, before merging. */
        public int size() {
            return count4 + count6;
        }

        /**
         * Blocks the addresses from {@code first} to {@code last}, both included.
         *
         * @throws IllegalArgumentException if the two are of different families, {@code first} is after {@code
         *                                  last}, or the builder holds {@link #MAX_RANGES} ranges already
         */
        public Builder block(InetAddress first, InetAddress last) {
            byte[] from = first.getAddress();
            byte[] to = last.getAddress();
            if (from.length != to.length) {
                throw new IllegalArgumentException("a range within one family, not " + first.getHostAddress()
                        + " - " + last.getHostAddress());
            }
            if (size() >= MAX_RANGES) {
                throw new IllegalArgumentException("more than " + MAX_RANGES + " ranges");
            }
            if (from.length == 4) {
                int start = ByteBuffer.wrap(from).getInt();
                int end = ByteBuffer.wrap(to).getInt();
                if (Integer.compareUnsigned(start, end) > 0) {
                    throw new IllegalArgumentException("the range starts after it ends: " + first.getHostAddress()
                            + " - " + last.getHostAddress());
                }
                if (count4 == ranges4.length) {
                    ranges4 = Arrays.copyOf(ranges4, ranges4.length * 2);
                }
                ranges4[count4++] = ((long) (start ^ Integer.MIN_VALUE) << 32) | (end & 0xFFFFFFFFL);
                return this;
            }
            ByteBuffer a = ByteBuffer.wrap(from);
            ByteBuffer b = ByteBuffer.wrap(to);
            long startHi = a.getLong();
            long startLo = a.getLong();
            long endHi = b.getLong();
            long endLo = b.getLong();
            if (compare(startHi, startLo, endHi, endLo) > 0) {
                throw new IllegalArgumentException("the range starts after it ends: " + first.getHostAddress()
                        + " - " + last.getHostAddress());
            }
            if (4 * (count6 + 1) > ranges6.length) {
                ranges6 = Arrays.copyOf(ranges6, ranges6.length * 2);
            }
            ranges6[4 * count6] = startHi;
            ranges6[4 * count6 + 1] = startLo;
            ranges6[4 * count6 + 2] = endHi;
            ranges6[4 * count6 + 3] = endLo;
            count6++;
            return this;
        }

        /** Blocks one address. */
        public Builder block(InetAddress address) {
            return block(address, address);
        }

        public IpFilter build() {
            long[] sorted4 = Arrays.copyOf(ranges4, count4);
            Arrays.sort(sorted4);
            int[] starts4 = new int[count4];
            int[] ends4 = new int[count4];
            int merged4 = 0;
            for (long range : sorted4) {
                int start = (int) (range >>> 32) ^ Integer.MIN_VALUE;
                int end = (int) range;
                if (merged4 > 0 && (ends4[merged4 - 1] == -1
                        || Integer.compareUnsigned(start, ends4[merged4 - 1] + 1) <= 0)) {
                    if (Integer.compareUnsigned(end, ends4[merged4 - 1]) > 0) {
                        ends4[merged4 - 1] = end;
                    }
                } else {
                    starts4[merged4] = start;
                    ends4[merged4++] = end;
                }
            }
            Integer[] order = new Integer[count6];
            for (int i = 0; i < count6; i++) {
                order[i] = i;
            }
            long[] r = ranges6;
            Arrays.sort(order, (x, y) -> compare(r[4 * x], r[4 * x + 1], r[4 * y], r[4 * y + 1]));
            long[] starts6 = new long[2 * count6];
            long[] ends6 = new long[2 * count6];
            int merged6 = 0;
            for (int i : order) {
                long startHi = r[4 * i];
                long startLo = r[4 * i + 1];
                long endHi = r[4 * i + 2];
                long endLo = r[4 * i + 3];
                if (merged6 > 0 && touches(ends6[2 * merged6 - 2], ends6[2 * merged6 - 1], startHi, startLo)) {
                    if (compare(endHi, endLo, ends6[2 * merged6 - 2], ends6[2 * merged6 - 1]) > 0) {
                        ends6[2 * merged6 - 2] = endHi;
                        ends6[2 * merged6 - 1] = endLo;
                    }
                } else {
                    starts6[2 * merged6] = startHi;
                    starts6[2 * merged6 + 1] = startLo;
                    ends6[2 * merged6] = endHi;
                    ends6[2 * merged6 + 1] = endLo;
                    merged6++;
                }
            }
            return new IpFilter(Arrays.copyOf(starts4, merged4), Arrays.copyOf(ends4, merged4),
                    Arrays.copyOf(starts6, 2 * merged6), Arrays.copyOf(ends6, 2 * merged6));
        }

        /** Whether a range starting at {@code start} overlaps or adjoins one ending at {@code end}. */
        private static boolean touches(long endHi, long endLo, long startHi, long startLo) {
            if (endHi == -1 && endLo == -1) {
                return true; // ends at the last address: everything after it is inside
            }
            long nextLo = endLo + 1;
            long nextHi = nextLo == 0 ? endHi + 1 : endHi;
            return compare(startHi, startLo, nextHi, nextLo) <= 0;
        }
    }
}
