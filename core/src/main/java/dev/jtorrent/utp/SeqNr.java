package dev.jtorrent.utp;

/** Arithmetic on BEP 29's 16-bit sequence numbers, which wrap: the nearer way round decides which is earlier. */
final class SeqNr {
    static final int MASK = 0xFFFF;

    private SeqNr() {
    }

    /** Whether {@code a} comes before {@code b}, the shorter way round the circle of 65,536 numbers. */
    static boolean before(int a, int b) {
        int up = (b - a) & MASK;
        return up != 0 && up < 0x8000;
    }

    /** {@code a + n}, wrapped. */
    static int plus(int a, int n) {
        return (a + n) & MASK;
    }

    /** How far {@code b} is after {@code a}: 0 to 65,535. */
    static int distance(int a, int b) {
        return (b - a) & MASK;
    }
}
