package dev.jtorrent.daemon.metrics;

import dev.jtorrent.daemon.HttpAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeAccessTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final HttpAccess.Credentials ACCOUNT = (user, password) -> user.equals("u")
            && password.equals("p:w");

    private static ScrapeAccess withAccount() {
        return new ScrapeAccess(new HttpAccess(InetAddress::isLoopbackAddress, host -> host.equals("nas.lan"),
                Optional.of(ACCOUNT)));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(ScrapeAccess.Outcome outcome) {
        return outcome instanceof ScrapeAccess.Outcome.Refused refused ? refused.status() : 200;
    }

    @Test
    void checksTheWhitelistThenTheAccountThenTheHost() throws Exception {
        ScrapeAccess access = withAccount();
        InetAddress stranger = InetAddress.getByName("192.0.2.7");

        assertThat(status(access.check(stranger, "127.0.0.1", basic("u:p:w")))).isEqualTo(403);
        assertThat(status(access.check(null, "127.0.0.1", basic("u:p:w")))).isEqualTo(403);
        assertThat(access.check(LOOPBACK, "evil.example", null))
                .isEqualTo(new ScrapeAccess.Outcome.Refused(401, "Unauthorized", true));
        assertThat(status(access.check(LOOPBACK, "evil.example", basic("u:p:w")))).isEqualTo(421);
        assertThat(access.check(LOOPBACK, "nas.lan:9091", basic("u:p:w"))).isEqualTo(ScrapeAccess.ALLOWED);
        assertThat(access.check(LOOPBACK, null, basic("u:p:w"))).isEqualTo(ScrapeAccess.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Basic", "Basic !!!", "Bearer dTpwOnc=", "Basic dTpw", "Basic dXA6dw=="})
    void refusesCredentialsThatAreMissingMalformedOrWrong(String authorization) {
        assertThat(status(withAccount().check(LOOPBACK, "127.0.0.1", authorization))).isEqualTo(401);
    }

    @Test
    void withoutAnAccountAsksForNone() {
        ScrapeAccess open = new ScrapeAccess(new HttpAccess(InetAddress::isLoopbackAddress, host -> false,
                Optional.empty()));
        assertThat(open.check(LOOPBACK, "localhost:9091", null)).isEqualTo(ScrapeAccess.ALLOWED);
        assertThat(status(open.check(LOOPBACK, "nas.lan", null))).isEqualTo(421);
    }

    @Test
    void locksEveryoneOutAfterTheLastFailedLoginUntilARestart() {
        ScrapeAccess access = withAccount();
        for (int i = 0; i < ScrapeAccess.MAX_FAILURES - 1; i++) {
            assertThat(status(access.check(LOOPBACK, "127.0.0.1", basic("u:guess" + i)))).isEqualTo(401);
        }
        assertThat(access.check(LOOPBACK, "127.0.0.1", basic("u:p:w"))).isEqualTo(ScrapeAccess.ALLOWED);
        for (int i = 0; i < ScrapeAccess.MAX_FAILURES - 1; i++) { // the good login started the count again
            assertThat(status(access.check(LOOPBACK, "127.0.0.1", basic("u:guess" + i)))).isEqualTo(401);
        }
        assertThat(status(access.check(LOOPBACK, "127.0.0.1", basic("u:last guess")))).isEqualTo(401);

        assertThat(status(access.check(LOOPBACK, "127.0.0.1", basic("u:p:w")))).isEqualTo(403);
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, true", "10.0.0.5:9091, true", "[::1]:9091, true", "LOCALHOST, true", "localhost.:80, true",
            "nas.lan, true", "NAS.lan:9091, true",
            "256.0.0.1, false", "1.2.3, false", "127.0.0.1.evil.example, false", "[::1, false", "[], false",
            "evil.example, false", "'', false",
    })
    void letsIpLiteralsLocalhostAndWhitelistedNamesThrough(String host, boolean allowed) {
        ScrapeAccess open = new ScrapeAccess(new HttpAccess(InetAddress::isLoopbackAddress,
                host1 -> host1.equals("nas.lan"), Optional.empty()));
        assertThat(open.check(LOOPBACK, host, null).equals(ScrapeAccess.ALLOWED)).isEqualTo(allowed);
    }
}
