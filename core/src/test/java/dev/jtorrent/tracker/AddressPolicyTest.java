package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which addresses and redirects {@link AddressPolicy} lets tracker requests reach, decided on literals alone. */
class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, THIS_MACHINE", "127.1.2.3, THIS_MACHINE", "::1, THIS_MACHINE", "0.0.0.0, THIS_MACHINE",
            "::, THIS_MACHINE", "::ffff:127.0.0.1, THIS_MACHINE",
            "10.1.2.3, LOCAL_NETWORK", "172.16.0.1, LOCAL_NETWORK", "172.31.255.255, LOCAL_NETWORK",
            "192.168.1.1, LOCAL_NETWORK", "fd00::2, LOCAL_NETWORK", "fc00::1, LOCAL_NETWORK",
            "fec0::1, LOCAL_NETWORK",
            "172.32.0.1, INTERNET", "93.184.216.34, INTERNET", "2001:db8::1, INTERNET", "100.64.0.1, INTERNET"})
    void everyAddressHasAScope(String address, AddressPolicy.Scope scope) throws Exception {
        assertThat(AddressPolicy.check(ip(address))).isEqualTo(scope);
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "169.254.0.1", "fe80::1", "febf::1", "::ffff:169.254.169.254"})
    void linkLocalAddressesAreRefused(String address) {
        assertThatThrownBy(() -> AddressPolicy.check(ip(address)))
                .isInstanceOf(TrackerException.class)
                .hasMessageStartingWith("refused a tracker at the link-local address ")
                .hasMessageEndingWith(", where clouds serve instance credentials");
    }

    @Test
    void aPathOnThisMachineMustStartWithTheExpectedPrefix() throws Exception {
        assertThatCode(() -> http("http://127.0.0.1:6969/announce?x=1", "127.0.0.1", "/announce", null))
                .doesNotThrowAnyException();
        assertThatCode(() -> http("http://127.0.0.1:6969/announce.php", "127.0.0.1", "/announce", null))
                .doesNotThrowAnyException();
        assertThatCode(() -> http("http://127.0.0.1:6969/scrape", "127.0.0.1", "/scrape", null))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> http("http://127.0.0.1:9091/transmission/rpc?announce", "127.0.0.1", "/announce",
                null)).hasMessage("refused a tracker on this machine (127.0.0.1) whose path does not start with "
                + "/announce: /transmission/rpc");
        assertThatThrownBy(() -> http("http://127.0.0.1:6969/x/announce", "127.0.0.1", "/announce", null))
                .hasMessageEndingWith("whose path does not start with /announce: /x/announce");
        assertThatThrownBy(() -> http("http://127.0.0.1:6969/announce", "127.0.0.1", "/scrape", null))
                .hasMessageEndingWith("whose path does not start with /scrape: /announce");
        assertThatThrownBy(() -> http("http://127.0.0.1:6969", "127.0.0.1", "/announce", null))
                .hasMessageEndingWith("whose path does not start with /announce: ");
        // Elsewhere the path is the tracker's own business.
        assertThatCode(() -> http("http://10.0.0.1/rpc", "10.0.0.1", "/announce", null)).doesNotThrowAnyException();
        assertThatCode(() -> http("http://t.example/x", "93.184.216.34", "/announce", null))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
            "93.184.216.34, 10.0.0.1, the internet, the local network",
            "93.184.216.34, fd00::1, the internet, the local network",
            "93.184.216.34, 127.0.0.1, the internet, this machine",
            "2001:db8::1, ::1, the internet, this machine",
            "192.168.1.10, 127.0.0.1, the local network, this machine"})
    void aRedirectMayNotLeadNearerThanItsOrigin(String origin, String target, String from, String to) {
        assertThatThrownBy(() -> http("http://x/announce", target, "/announce", origin))
                .isInstanceOf(TrackerException.class)
                .hasMessage("refused a redirect from " + ip(origin).getHostAddress() + " on " + from + " to "
                        + ip(target).getHostAddress() + " on " + to);
    }

    @ParameterizedTest
    @CsvSource({"93.184.216.34, 198.51.100.7", "10.0.0.1, 192.168.1.1", "10.0.0.1, 93.184.216.34",
            "127.0.0.1, 127.0.0.1", "127.0.0.1, 10.0.0.1", "127.0.0.1, 93.184.216.34"})
    void aRedirectMayLeadAsFarOrFarther(String origin, String target) {
        assertThatCode(() -> http("http://x/announce", target, "/announce", origin)).doesNotThrowAnyException();
    }

    private static void http(String uri, String address, String prefix, String origin) throws TrackerException {
        AddressPolicy.checkHttp(URI.create(uri), ip(address), prefix, Optional.ofNullable(origin).map(o -> ip(o)));
    }

    private static InetAddress ip(String literal) {
        return IpLiteral.parse(literal).orElseThrow(() -> new IllegalArgumentException(literal));
    }
}
