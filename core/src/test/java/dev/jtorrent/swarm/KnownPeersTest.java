package dev.jtorrent.swarm;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownPeersTest {
    private static final InetSocketAddress LIAR = new InetSocketAddress("127.0.0.2", 6881);
    private static final InetSocketAddress LIAR_AGAIN = new InetSocketAddress("127.0.0.2", 51234);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.3", 6881);

    @Test
    void aBanHoldsForTheWholeIpWhateverThePort() {
        KnownPeers known = new KnownPeers();
        known.add(List.of(LIAR, OTHER));
        known.ban(LIAR);

        assertThat(known.isBanned(LIAR_AGAIN)).as("an incoming connection from a new port").isTrue();
        assertThat(known.connected(LIAR_AGAIN)).isFalse();
        assertThat(known.isBanned(OTHER)).isFalse();
    }

    @Test
    void aBannedIpIsNotDialled() {
        KnownPeers known = new KnownPeers();
        known.ban(LIAR_AGAIN); // banned while it was connected to us from another port
        known.add(List.of(LIAR, OTHER));

        assertThat(known.takeForConnecting(10, 0)).containsExactly(OTHER);
    }

    @Test
    void ourOwnAddressIsNeverDialledAgainButItsIpIsNotBanned() {
        KnownPeers known = new KnownPeers();
        known.add(List.of(LIAR, OTHER));
        known.takeForConnecting(10, 0);
        known.ownAddress(LIAR);

        assertThat(known.connected(LIAR)).isFalse();
        assertThat(known.isBanned(LIAR_AGAIN)).isFalse();
        known.failed(OTHER, 0);
        assertThat(known.takeForConnecting(10, Long.MAX_VALUE)).containsExactly(OTHER);
    }

    @Test
    void bansAreBounded() {
        KnownPeers known = new KnownPeers();
        for (int i = 0; i <= KnownPeers.MAX_KNOWN; i++) {
            known.ban(new InetSocketAddress("10.0." + (i >> 8) + "." + (i & 0xFF), 1));
        }
        assertThat(known.isBanned(new InetSocketAddress("10.0.0.0", 1))).as("the oldest ban is lifted").isFalse();
        assertThat(known.isBanned(new InetSocketAddress("10.0.0.1", 1))).isTrue();
    }

    @Test
    void aFullListMakesRoomForNewPeersByDroppingThoseThatFailedMostThenTheOldestUntried() {
        KnownPeers known = new KnownPeers();
        List<InetSocketAddress> junk = addresses(10, KnownPeers.MAX_KNOWN);
        known.add(junk);
        InetSocketAddress connected = junk.get(5);
        known.connected(connected);
        InetSocketAddress failedOnce = junk.get(7);
        InetSocketAddress failedTwice = junk.get(9);
        known.takeForConnecting(KnownPeers.MAX_KNOWN, 0).forEach(a -> {
            if (!a.equals(failedOnce) && !a.equals(failedTwice)) {
                known.disconnected(a, 0); // back to idle, never failed
            }
        });
        known.failed(failedOnce, 0);
        known.failed(failedTwice, 0);
        known.failed(failedTwice, 0);

        List<InetSocketAddress> fresh = addresses(20, 3);
        assertThat(known.add(fresh)).isEqualTo(3);

        assertThat(known.size()).isEqualTo(KnownPeers.MAX_KNOWN);
        // dropped: the one that failed twice, the one that failed once, then the oldest never-failed (junk 0)
        List<InetSocketAddress> dialled = known.takeForConnecting(KnownPeers.MAX_KNOWN, Long.MAX_VALUE);
        assertThat(dialled).contains(fresh.toArray(InetSocketAddress[]::new))
                .doesNotContain(failedTwice, failedOnce, junk.get(0), connected)
                .contains(junk.get(1));
    }

    @Test
    void peersConnectedOrBannedAreNeverDroppedSoAFullListOfThemTakesNoMore() {
        KnownPeers known = new KnownPeers();
        List<InetSocketAddress> busy = addresses(10, KnownPeers.MAX_KNOWN);
        known.add(busy);
        known.takeForConnecting(KnownPeers.MAX_KNOWN, 0); // all connecting

        assertThat(known.add(addresses(20, 5))).isZero();
        assertThat(known.size()).isEqualTo(KnownPeers.MAX_KNOWN);
    }

    @Test
    void theNextAttemptIsAtOnceForANewPeerThenWhenTheFirstBackOffEndsAndNeverOnceNoneIsLeftToTry() {
        KnownPeers known = new KnownPeers();
        assertThat(known.nextAttempt()).as("nobody known").isEqualTo(Long.MAX_VALUE);
        known.add(List.of(LIAR, OTHER));
        assertThat(known.nextAttempt()).as("never tried").isEqualTo(0);

        known.takeForConnecting(10, 1_000);
        assertThat(known.nextAttempt()).as("both being connected").isEqualTo(Long.MAX_VALUE);
        known.failed(OTHER, 1_000);
        known.disconnected(LIAR, 2_000);
        assertThat(known.nextAttempt()).as("the first back-off to end").isEqualTo(1_000 + 30_000_000_000L);

        known.ban(OTHER);
        assertThat(known.nextAttempt()).isEqualTo(2_000 + 30_000_000_000L);
        for (int i = 0; i < 5; i++) {
            known.takeForConnecting(10, Long.MAX_VALUE - 1);
            known.failed(LIAR, 0);
        }
        assertThat(known.nextAttempt()).as("given up on after five failures").isEqualTo(Long.MAX_VALUE);
    }

    /** {@code count} distinct addresses in 10.{@code net}.x.y. */
    private static List<InetSocketAddress> addresses(int net, int count) {
        List<InetSocketAddress> addresses = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(new InetSocketAddress("10." + net + "." + (i >> 8) + "." + (i & 255), 6881));
        }
        return addresses;
    }
}
