package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReassemblyTest {
    private static final ByteBuffer PAYLOAD = ByteBuffer.wrap(new byte[100]);

    @Test
    void theSelectiveAckMarksHeldPacketsFromAckPlusTwoInMultiplesOfFourBytes() {
        Reassembly r = new Reassembly(1_000, new OutOfOrderBudget(1 << 20));
        int ack = 0xFFFE; // across the wrap
        r.keep(SeqNr.plus(ack, 2), 2, PAYLOAD, 0, 100);
        r.keep(SeqNr.plus(ack, 11), 11, PAYLOAD, 0, 100);
        assertThat(r.sackBytes()).isEqualTo(4);
        ByteBuffer sack = ByteBuffer.allocate(4);
        r.writeSack(sack, ack, 4);
        assertThat(sack.array()).containsExactly(0b0000_0001, 0b0000_0010, 0, 0);
        assertThat(r.bytes()).isEqualTo(200);
    }

    @Test
    void theSelectiveAckIsCappedAndPacketsBeyondItsReachAreNotKept() {
        Reassembly r = new Reassembly(InFlight.SLOTS - 1, new OutOfOrderBudget(1 << 30));
        int reach = Reassembly.MAX_SACK_BYTES * 8 + 1;
        assertThat(r.withinReach(reach)).isTrue();
        assertThat(r.withinReach(reach + 1)).as("past what a selective ACK can say").isFalse();
        r.keep(reach, reach, PAYLOAD, 0, 100);
        assertThat(r.sackBytes()).isEqualTo(Reassembly.MAX_SACK_BYTES);
    }

    @Test
    void theEndpointsBudgetBoundsWhatAllConnectionsKeepAndComesBackWhenTheyEnd() {
        OutOfOrderBudget budget = new OutOfOrderBudget(250);
        Reassembly one = new Reassembly(100, budget);
        Reassembly two = new Reassembly(100, budget);
        assertThat(one.keep(2, 2, PAYLOAD, 0, 100)).isTrue();
        assertThat(two.keep(2, 2, PAYLOAD, 0, 100)).isTrue();
        assertThat(two.keep(3, 3, PAYLOAD, 0, 100)).as("over the budget").isFalse();
        assertThat(budget.used()).isEqualTo(200);
        one.clear();
        assertThat(budget.used()).isEqualTo(100);
        assertThat(two.take(2)).hasSize(100);
        assertThat(budget.used()).isZero();
    }
}
