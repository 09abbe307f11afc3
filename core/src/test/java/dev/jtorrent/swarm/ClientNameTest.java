package dev.jtorrent.swarm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a peer says its client is, as people get to see it. */
class ClientNameTest {

    @Test
    void keepsAPlainNameAsItIs() {
        assertThat(PeerMessages.printable("qBittorrent/4.6.2")).isEqualTo("qBittorrent/4.6.2");
        assertThat(PeerMessages.printable("Transmission 4.0.5 ü")).isEqualTo("Transmission 4.0.5 ü");
    }

    @Test
    void dropsControlAndFormattingCharactersAndCutsALongName() {
        assertThat(PeerMessages.printable("evil\u0007\u001b[2J\u202ename\n")).isEqualTo("evil[2Jname");
        assertThat(PeerMessages.printable("x".repeat(10_000))).hasSize(64);
    }
}
