package dev.jtorrent.dht;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ExternalAddressVoteTest {
    private static InetAddress ip(int i) {
        return SimulatedNetwork.address(i).getAddress();
    }

    @Test
    void adoptsAnAddressOnceEnoughVotersAgree() {
        ExternalAddressVote vote = new ExternalAddressVote();
        for (int i = 1; i < ExternalAddressVote.MIN_VOTES; i++) {
            assertThat(vote.vote(ip(i), ip(0))).isEmpty();
            assertThat(vote.vote(ip(i), ip(0))).as("a voter counts once").isEmpty();
        }
        assertThat(vote.vote(ip(ExternalAddressVote.MIN_VOTES), ip(0))).contains(ip(0));
        assertThat(vote.adopted()).contains(ip(0));
        assertThat(vote.vote(ip(50), ip(0))).as("adopted once").isEmpty();
    }

    @Test
    void aMinorityCannotMoveTheAddress() {
        ExternalAddressVote vote = new ExternalAddressVote();
        for (int i = 1; i <= 10; i++) {
            vote.vote(ip(i), ip(0));
        }
        for (int i = 11; i <= 15; i++) {
            assertThat(vote.vote(ip(i), ip(1))).isEmpty();
        }
        assertThat(vote.adopted()).contains(ip(0));
    }

    @Test
    void forgetsVotersBeyondMaxVoters() {
        ExternalAddressVote vote = new ExternalAddressVote();
        for (int i = 1; i <= ExternalAddressVote.MAX_VOTERS; i++) {
            vote.vote(ip(i), ip(0));
        }
        // A new majority of as many voters moves the address once the old votes are forgotten.
        InetAddress moved = null;
        for (int i = 1; i <= ExternalAddressVote.MAX_VOTERS && moved == null; i++) {
            moved = vote.vote(ip(1000 + i), ip(1)).orElse(null);
        }
        assertThat(moved).isEqualTo(ip(1));
    }

    @Test
    void anAddressSetByTheSessionIsAdoptedAtOnce() {
        ExternalAddressVote vote = new ExternalAddressVote();
        assertThat(vote.set(ip(3))).isTrue();
        assertThat(vote.set(ip(3))).isFalse();
        assertThat(vote.adopted()).contains(ip(3));
    }
}
