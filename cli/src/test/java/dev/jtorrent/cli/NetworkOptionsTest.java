package dev.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jtorrent.session.Encryption;
import dev.jtorrent.session.SessionConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.InetAddress;
import java.util.List;

class NetworkOptionsTest {
    @Test
    void passesTheUploadSlotsAndPeerLimitToEverySwarm() {
        NetworkOptions options = options();
        options.uploadSlots = 1;
        options.maxPeers = 7;

        SessionConfig config = options.sessionConfig();

        assertThat(config.uploadSlots()).isEqualTo(1);
        assertThat(config.maxPeersPerTorrent()).isEqualTo(7);
    }

    @Test
    void exchangesPeersUnlessToldNotTo() {
        NetworkOptions options = options();
        assertThat(options.sessionConfig().pex()).isTrue();

        options.noPex = true;
        assertThat(options.sessionConfig().pex()).isFalse();
    }

    @Test
    void runsLocalServiceDiscoveryUnlessToldNotTo() {
        NetworkOptions options = options();
        assertThat(options.sessionConfig().lsd()).isTrue();

        options.noLsd = true;
        assertThat(options.sessionConfig().lsd()).isFalse();
    }

    @Test
    void allowsNoRegularSlotAtAllButNotANegativeNumber() {
        NetworkOptions options = options();
        options.uploadSlots = 0;
        assertThat(options.sessionConfig().uploadSlots()).isZero();

        options.uploadSlots = -1;
        assertThatThrownBy(options::sessionConfig).isInstanceOf(UsageException.class)
                .hasMessage("--upload-slots must be from 0 to 1000, not -1");
    }

    @Test
    void allowsAThousandSlotsAtMost() {
        NetworkOptions options = options();
        options.uploadSlots = 1000;
        assertThat(options.sessionConfig().uploadSlots()).isEqualTo(1000);

        options.uploadSlots = 1001;
        assertThatThrownBy(options::sessionConfig).isInstanceOf(UsageException.class)
                .hasMessage("--upload-slots must be from 0 to 1000, not 1001");
    }

    @Test
    void takesTheUploadLimitAsARatePerSecondAndNoneByDefault() {
        NetworkOptions options = options();
        assertThat(options.addOptions().build().uploadLimit()).isZero();

        options.uploadLimit = "10MiB";
        assertThat(options.addOptions().build().uploadLimit()).isEqualTo(10L * 1024 * 1024);

        options.uploadLimit = "1KiB";
        assertThat(options.addOptions().build().uploadLimit()).isEqualTo(1024);

        for (String bad : new String[] {"fast", "0", "512", "1023", "-1MiB", "99999999999TiB"}) {
            options.uploadLimit = bad;
            assertThatThrownBy(options::sessionConfig).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--upload-limit");
        }
    }

    @Test
    void runsOverTcpAndUtpByDefaultAndOverEitherAlone() {
        NetworkOptions options = options();
        assertThat(options.sessionConfig().tcp()).isTrue();
        assertThat(options.sessionConfig().utp()).isTrue();
        options.transports = "utp";
        assertThat(options.sessionConfig().tcp()).isFalse();
        assertThat(options.sessionConfig().utp()).isTrue();
        options.transports = "TCP";
        assertThat(options.sessionConfig().tcp()).isTrue();
        assertThat(options.sessionConfig().utp()).isFalse();
        options.transports = "utp, tcp";
        assertThat(options.sessionConfig().tcp()).isTrue();
        assertThat(options.sessionConfig().utp()).isTrue();

        for (String bad : new String[] {"quic", "", "tcp,", "tcp;utp"}) {
            options.transports = bad;
            assertThatThrownBy(options::sessionConfig).as(bad).isInstanceOf(UsageException.class)
                    .hasMessage("--transports takes tcp, utp or tcp,utp, not " + bad);
        }
    }

    @Test
    void prefersEncryptionByDefaultAndTakesEachModeInAnyCase() {
        NetworkOptions options = options();
        assertThat(options.sessionConfig().encryption()).isEqualTo(Encryption.PREFER);
        for (Encryption mode : Encryption.values()) {
            options.encryption = mode.name().toLowerCase(java.util.Locale.ROOT);
            assertThat(options.sessionConfig().encryption()).isEqualTo(mode);
        }
        options.encryption = "REQUIRE";
        assertThat(options.sessionConfig().encryption()).isEqualTo(Encryption.REQUIRE);

        options.encryption = "forced";
        assertThatThrownBy(options::sessionConfig).isInstanceOf(UsageException.class)
                .hasMessage("--encryption must be prefer, require, allow or disable, not forced");
    }

    @Test
    void bindsToEveryAddressOfBothFamiliesByDefault() {
        assertThat(options().sessionConfig().bindAddresses()).isEmpty();
    }

    @Test
    void takesRepeatedBindAddressesOfBothFamiliesIpv6WithOrWithoutBrackets() throws Exception {
        DownloadCommand command = new DownloadCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1", "--bind", "::1", "--bind", "[2001:db8::1]",
                "--bind", "[::1]", "x.torrent");
        assertThat(command.network.sessionConfig().bindAddresses()).containsExactly(
                InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"), InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void aBindValueThatIsNotAnAddressIsAUsageError() {
        for (String bad : new String[] {"[127.0.0.1]", "[::1", "::1]", "[]", "", "no-such-host.invalid"}) {
            NetworkOptions options = options();
            options.bind = List.of("127.0.0.1", bad);
            assertThatThrownBy(options::sessionConfig).as(bad).isInstanceOf(UsageException.class)
                    .hasMessage("--bind: not an address of this machine: '" + bad + "'");
        }
    }

    /** The options as picocli leaves them when none is given. */
    private static NetworkOptions options() {
        NetworkOptions options = new NetworkOptions();
        options.port = 6881;
        options.maxPeers = 50;
        options.uploadSlots = 4;
        options.encryption = "prefer";
        options.transports = "tcp,utp";
        return options;
    }
}
