package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DhtCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsANodeAndSavesItsStateWhenStopped() throws Exception {
        Path state = dir.resolve("dht.state");
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = Thread.ofPlatform().start(() -> exit.set(Main.run(
                new String[] {"dht", "--port", "0", "--bind", "127.0.0.1", "--allow-local", "--state",
                        state.toString(), "--dht-bootstrap", "127.0.0.1:9"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))));
        Matcher m = Pattern.compile("DHT node listening on 127\\.0\\.0\\.1:(\\d+); routing table: 0 nodes")
                .matcher("");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!m.reset(out.toString()).find() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(m.hasMatch()).as(out.toString()).isTrue();
        command.interrupt();
        command.join(10_000);
        assertThat(exit.get()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(Files.size(state)).isGreaterThan(20);
    }

    @Test
    void aBadBootstrapAddressIsAUsageError() {
        CliRun run = CliRun.of("dht", "--dht-bootstrap", "router.example");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errorLine()).isEqualTo("jtorrent: --dht-bootstrap must be HOST:PORT with a port in 1..65535,"
                + " not 'router.example'");
        assertThat(CliRun.of("dht", "--dht-bootstrap", "host:0").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("dht", "--dht-bootstrap", ":6881").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        CliRun run = CliRun.of("dht", "--port", "-1");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errorLine()).isEqualTo("jtorrent: --port must be in 0..65535, not -1");
    }

    @Test
    void anUnknownBindAddressIsAUsageError() {
        CliRun run = CliRun.of("dht", "--bind", "no-such-host.invalid");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errorLine()).isEqualTo("jtorrent: --bind: not an address of this machine: 'no-such-host.invalid'");
    }

    @Test
    void readsIpv6BootstrapAddresses() {
        assertThat(DhtCommand.hostPort("[2001:db8::1]:6881").getHostString()).isEqualTo("2001:db8::1");
        assertThat(DhtCommand.hostPort("router.bittorrent.com:6881").getPort()).isEqualTo(6881);
    }
}
