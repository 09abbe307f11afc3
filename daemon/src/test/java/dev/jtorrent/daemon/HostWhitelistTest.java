package dev.jtorrent.daemon;

import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostWhitelistTest {
    @Test
    void ipLiteralsAndLocalhostAlwaysPass() {
        HostWhitelist none = HostWhitelist.parse("");
        for (String host : new String[] {"127.0.0.1", "192.168.1.20", "[::1]", "[fe80::1]", "localhost",
                "localhost.", "LOCALHOST"}) {
            assertThat(none.test(host)).as(host).isTrue();
        }
        for (String host : new String[] {"evil.example", "127.0.0.1.evil.example", "localhost.evil.example",
                "1.2.3.999", "", "[evil]"}) {
            assertThat(none.test(host)).as(host).isFalse();
        }
    }

    @Test
    void configuredNamesPassWithoutCaseAndAWildcardCoversNamesUnderIt() {
        HostWhitelist whitelist = HostWhitelist.parse("nas.local, *.example.com");
        assertThat(whitelist.test("NAS.local")).isTrue();
        assertThat(whitelist.test("torrents.example.com")).isTrue();
        assertThat(whitelist.test("example.com")).isFalse();
        assertThat(whitelist.test("badexample.com")).isFalse();
        assertThat(whitelist.test("nas.local.evil")).isFalse();
    }

    @Test
    void theHostOfAHeaderIsTakenWithoutItsPort() {
        assertThat(HostWhitelist.hostOf("nas.local:9091")).isEqualTo("nas.local");
        assertThat(HostWhitelist.hostOf("127.0.0.1:9091")).isEqualTo("127.0.0.1");
        assertThat(HostWhitelist.hostOf("[::1]:9091")).isEqualTo("[::1]");
        assertThat(HostWhitelist.hostOf("[::1]")).isEqualTo("[::1]");
        assertThat(HostWhitelist.hostOf("[::1")).isEmpty();
        assertThat(HostWhitelist.hostOf("[::1]x")).isEmpty();
    }

    @Test
    void badNamesAndTooManyAreRefused() {
        assertThatThrownBy(() -> HostWhitelist.parse("ok.example,bad name")).hasMessageContaining("'bad name'");
        assertThatThrownBy(() -> HostWhitelist.parse("*.")).hasMessageContaining("'*.'");
        String atLimit = String.join(",", Collections.nCopies(HostWhitelist.MAX_ENTRIES, "a.example"));
        assertThat(HostWhitelist.parse(atLimit).test("a.example")).isTrue();
        assertThatThrownBy(() -> HostWhitelist.parse(atLimit + ",b.example"))
                .hasMessageContaining("more than " + HostWhitelist.MAX_ENTRIES);
    }
}
