package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The tables behind the login: sessions and their timeout and bound, failures and their bans and bound. */
class SecurityTablesTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void aSessionExpiresAfterItsTimeoutWithoutUseAndUseKeepsItAlive() {
        WebSessions sessions = new WebSessions(clock, Duration.ofSeconds(3600), 4, 2);
        WebSessions.WebSession session = sessions.create();
        clock.advance(Duration.ofSeconds(3599));
        assertThat(sessions.find(session.sid())).contains(session);
        clock.advance(Duration.ofSeconds(3599));
        assertThat(sessions.find(session.sid())).contains(session);
        clock.advance(Duration.ofSeconds(3600));
        assertThat(sessions.find(session.sid())).isEmpty();
        assertThat(sessions.size()).isZero();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("made-up")).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedSessionEndsForOnePastTheBound() {
        WebSessions sessions = new WebSessions(clock, Duration.ofSeconds(3600), 3, 2);
        WebSessions.WebSession first = sessions.create();
        WebSessions.WebSession second = sessions.create();
        WebSessions.WebSession third = sessions.create();
        sessions.find(first.sid());
        WebSessions.WebSession fourth = sessions.create();
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.find(second.sid())).isEmpty();
        assertThat(sessions.find(first.sid())).contains(first);
        assertThat(sessions.find(third.sid())).contains(third);
        assertThat(sessions.find(fourth.sid())).contains(fourth);
        assertThat(first.sid()).isNotEqualTo(fourth.sid()).hasSize(32);
    }

    @Test
    void fiveFailuresBanForTheDurationThenTheCountStartsAgain() throws Exception {
        LoginFailures failures = new LoginFailures(clock, 5, Duration.ofSeconds(3600), 100);
        InetAddress client = InetAddress.getByName("192.0.2.7");
        for (int i = 0; i < 4; i++) {
            failures.failed(client);
        }
        assertThat(failures.banned(client)).isFalse();
        failures.failed(client);
        assertThat(failures.banned(client)).isTrue();
        assertThat(failures.banned(InetAddress.getByName("192.0.2.8"))).isFalse();
        clock.advance(Duration.ofSeconds(3599));
        assertThat(failures.banned(client)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(failures.banned(client)).isFalse();
        failures.failed(client);
        assertThat(failures.banned(client)).isFalse();
    }

    @Test
    void failuresLongAgoDoNotAddUpAndASuccessForgetsThem() throws Exception {
        LoginFailures failures = new LoginFailures(clock, 3, Duration.ofSeconds(60), 100);
        InetAddress client = InetAddress.getByName("192.0.2.7");
        failures.failed(client);
        failures.failed(client);
        clock.advance(Duration.ofSeconds(60));
        failures.failed(client);
        assertThat(failures.banned(client)).isFalse();
        failures.failed(client);
        failures.succeeded(client);
        failures.failed(client);
        failures.failed(client);
        assertThat(failures.banned(client)).isFalse();
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() throws Exception {
        LoginFailures failures = new LoginFailures(clock, 2, Duration.ofSeconds(60), 100);
        failures.failed(InetAddress.getByName("2001:db8:1:2::1"));
        failures.failed(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        assertThat(failures.banned(InetAddress.getByName("2001:db8:1:2::77"))).isTrue();
        assertThat(failures.banned(InetAddress.getByName("2001:db8:1:3::1"))).isFalse();
    }

    @Test
    void theFailureTableIsBoundedTheLeastRecentlySeenForgottenFirst() throws Exception {
        LoginFailures failures = new LoginFailures(clock, 1, Duration.ofSeconds(60), 3);
        for (int i = 1; i <= 10; i++) {
            failures.failed(InetAddress.getByName("192.0.2." + i));
            assertThat(failures.size()).isLessThanOrEqualTo(3);
        }
        assertThat(failures.banned(InetAddress.getByName("192.0.2.10"))).isTrue();
        assertThat(failures.banned(InetAddress.getByName("192.0.2.1"))).isFalse();
    }

    @Test
    void crossSiteComparesHostAndPortAsWritten() {
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, null, null)).isFalse();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, "http://127.0.0.1:8080", null)).isFalse();
        assertThat(CrossSite.isCrossSite("Localhost:8080", null, "http://localhost:8080", null)).isFalse();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, "http://127.0.0.1", null)).isTrue();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, "http://evil:8080", "http://127.0.0.1:8080/"))
                .isTrue();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, "", "http://127.0.0.1:8080/x")).isFalse();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, null, "http://127.0.0.2:8080/x")).isTrue();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", null, "null", null)).isTrue();
        assertThat(CrossSite.isCrossSite("[::1]:8080", null, "http://[::1]:8080", null)).isFalse();
        assertThat(CrossSite.isCrossSite("127.0.0.1:8080", "proxy.example", "https://proxy.example", null))
                .isFalse();
        assertThat(CrossSite.isCrossSite(null, null, "http://a", null)).isTrue();
    }
}
