package dev.jtorrent.swarm;

import java.util.random.RandomGenerator;

/**
 * The pieces we still need, ordered by how many peers have them (rarest first), with O(1) updates.
 *
 * <p>As in libtorrent's picker, the pieces sit in one array sorted by availability; {@code bucketStart[a]} is
 * where availability {@code a} begins. Changing a piece's availability by one swaps it with the edge of its bucket
 * and moves the edge, so updates cost O(1) however many pieces there are. Pieces not to be picked (ours, in
 * progress, or not wanted) are moved out of the array, and back in when they are to be picked again.
 *
 * <p><b>Random within a bucket.</b> Peers with the same information must not all pick the same pieces: leechers
 * that rank a seed's pieces alike ask it for the same ones, and it then sends the same data several times while
 * other pieces wait. So the initial order is shuffled, and a piece that joins a bucket then changes places with a
 * random piece of that bucket (itself included), as libtorrent's picker inserts at a random place in a priority
 * range. Joining at the bucket's edge alone would undo the shuffle: a seed's bitfield counted in index order left
 * every picker ranking its pieces last index first.
 */
final class AvailabilityOrder {
    private final int[] order;     // pieces, by availability
    private final int[] position;  // position[piece] in order, or -1 once removed
    private final int[] availability;
    private int[] bucketStart;     // bucketStart[a] = first position with availability >= a
    private int size;
    private final RandomGenerator random;

    AvailabilityOrder(int pieceCount, RandomGenerator random) {
        this.random = random;
        order = new int[pieceCount];
        position = new int[pieceCount];
        availability = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            order[i] = i;
        }
        for (int i = pieceCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < pieceCount; i++) {
            position[order[i]] = i;
        }
        size = pieceCount;
        bucketStart = new int[] {0, pieceCount};
    }

    int availability(int piece) {
        return availability[piece];
    }

    int size() {
        return size;
    }

    /** The piece at {@code index} in rarest-first order, for {@code index < size()}. */
    int pieceAt(int index) {
        return order[index];
    }

    boolean contains(int piece) {
        return position[piece] >= 0;
    }

    void increment(int piece) {
        int a = availability[piece];
        availability[piece] = a + 1;
        if (position[piece] < 0) {
            return;
        }
        ensureBucket(a + 2);
        // Move the piece to the last slot of bucket a, then shrink bucket a by one: it is now bucket a+1's first.
        int last = bucketStart[a + 1] - 1;
        swap(position[piece], last);
        bucketStart[a + 1]--;
        shuffleIn(last, last, bucketStart[a + 2]);
    }

    void decrement(int piece) {
        int a = availability[piece];
        if (a == 0) {
            throw new IllegalStateException("availability of piece " + piece + " would go negative");
        }
        availability[piece] = a - 1;
        if (position[piece] < 0) {
            return;
        }
        // Move the piece to the first slot of bucket a, then grow bucket a-1 by one: it is now bucket a-1's last.
        int first = bucketStart[a];
        swap(position[piece], first);
        bucketStart[a]++;
        shuffleIn(first, bucketStart[a - 1], first + 1);
    }

    /**
     * The piece at {@code joined}, which has just joined the bucket at positions {@code [from, to)}, changes places
     * with a random one of them, itself included: if the bucket's order was uniformly random, it still is.
     */
    private void shuffleIn(int joined, int from, int to) {
        swap(joined, from + random.nextInt(to - from));
    }

    /**
     * Takes a piece out of the order until {@link #add} puts it back (we have it, or do not want it now); its
     * availability is still counted.
     */
    void remove(int piece) {
        int p = position[piece];
        if (p < 0) {
            return;
        }
        // Bubble the piece to the end through each higher bucket, keeping every bucket contiguous.
        int a = availability[piece];
        for (int b = a + 1; b < bucketStart.length; b++) {
            int lastOfPrevious = bucketStart[b] - 1;
            swap(position[piece], lastOfPrevious);
            bucketStart[b]--;
        }
        int end = size - 1;
        swap(position[piece], end);
        size--;
        position[piece] = -1;
        for (int b = 0; b < bucketStart.length; b++) {
            bucketStart[b] = Math.min(bucketStart[b], size);
        }
    }

    /**
     * Puts a piece taken out with {@link #remove} back among the pieces of its availability, at a random place
     * there. It goes in at the end, in the top bucket, and moves down a bucket at a time by changing places with the
     * first piece of each bucket above its own, which then starts one later: O(buckets), as {@link #remove} is.
     */
    void add(int piece) {
        if (position[piece] >= 0) {
            return;
        }
        int a = availability[piece];
        ensureBucket(a + 1);
        order[size] = piece;
        position[piece] = size;
        size++;
        for (int b = bucketStart.length - 1; b > a; b--) {
            swap(position[piece], bucketStart[b]);
            bucketStart[b]++;
        }
        shuffleIn(position[piece], bucketStart[a], bucketStart[a + 1]);
    }

    private void ensureBucket(int count) {
        if (bucketStart.length <= count) {
            int[] grown = new int[count + 1];
            System.arraycopy(bucketStart, 0, grown, 0, bucketStart.length);
            for (int i = bucketStart.length; i < grown.length; i++) {
                grown[i] = size;
            }
            bucketStart = grown;
        }
    }

    private void swap(int i, int j) {
        if (i == j) {
            return;
        }
        int a = order[i];
        int b = order[j];
        order[i] = b;
        order[j] = a;
        position[b] = i;
        position[a] = j;
    }
}
