package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The session's {@code pex} setting is its torrents' swarms' (BEP 11), on unless turned off. */
class SessionConfigPexTest {
    @Test
    void peerExchangeIsOnByDefaultAndReachesTheSwarmsWhenTurnedOff() {
        assertThat(SessionConfig.builder().build().pex()).isTrue();
        assertThat(SessionConfig.builder().build().swarm().pex()).isTrue();

        SessionConfig off = SessionConfig.builder().pex(false).build();
        assertThat(off.pex()).isFalse();
        assertThat(off.swarm().pex()).isFalse();
        assertThat(off.toBuilder().build().pex()).isFalse();
        assertThat(off.toString()).contains("pex=false");
    }
}
