package dev.jtorrent.cli;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.AnnounceRequest;
import dev.jtorrent.tracker.Tracker;
import dev.jtorrent.tracker.TrackerConfig;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackerCommandTest {

    @Test
    void runsATrackerThatAnswersUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = Thread.ofPlatform().start(() -> exit.set(Main.run(
                new String[] {"tracker", "--port", "0", "--bind", "127.0.0.1", "--interval", "42s"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))));
        Matcher m = Pattern.compile("Tracker listening on (http://127\\.0\\.0\\.1:(\\d+)/announce) and "
                + "udp://127\\.0\\.0\\.1:(\\d+)/announce").matcher("");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!m.reset(out.toString()).find() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(m.hasMatch()).as(out.toString()).isTrue();
        assertThat(m.group(2)).isEqualTo(m.group(3));

        try (Tracker tracker = Tracker.open(m.group(1), TrackerConfig.DEFAULTS)) {
            AnnounceRequest request = new AnnounceRequest(InfoHash.fromHex("ab".repeat(20)), new byte[20], 6881,
                    0, 0, 0, AnnounceEvent.STARTED, 10, 1, Optional.empty());
            assertThat(tracker.announce(request).interval()).isEqualTo(Duration.ofSeconds(42));
        }
        command.interrupt();
        command.join(5_000);
        assertThat(exit.get()).isEqualTo(ExitCode.INTERRUPTED);
    }

    @Test
    void listensOnEachRepeatedBindAddressIpv6IncludedAndListsIpv6PeersInPeers6() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = Thread.ofPlatform().start(() -> exit.set(Main.run(
                new String[] {"tracker", "--port", "0", "--bind", "127.0.0.1", "--bind", "[::1]"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))));
        Matcher m = Pattern.compile("Tracker listening on http://127\\.0\\.0\\.1:(\\d+)/announce .*\\R"
                + "  and on \\[0:0:0:0:0:0:0:1\\]:(\\d+)").matcher("");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!m.reset(out.toString()).find() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(m.hasMatch()).as(out.toString()).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        InfoHash infoHash = InfoHash.fromHex("cd".repeat(20));
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (Tracker over6 = Tracker.open("http://[::1]:" + m.group(1) + "/announce",
                TrackerConfig.DEFAULTS.withBindAddress(loopback6));
             Tracker over4 = Tracker.open("http://127.0.0.1:" + m.group(1) + "/announce",
                     TrackerConfig.DEFAULTS.withBindAddress(InetAddress.getByName("127.0.0.1")))) {
            over6.announce(new AnnounceRequest(infoHash, new byte[20], 6886, 0, 0, 0, AnnounceEvent.STARTED, 10, 1,
                    Optional.empty()));
            assertThat(over4.announce(new AnnounceRequest(infoHash, new byte[20], 6884, 0, 0, 1,
                    AnnounceEvent.STARTED, 10, 2, Optional.empty())).peers())
                    .containsExactly(new InetSocketAddress(loopback6, 6886));
        }
        command.interrupt();
        command.join(5_000);
        assertThat(exit.get()).isEqualTo(ExitCode.INTERRUPTED);
    }

    @Test
    void aBadIntervalIsAUsageError() {
        CliRun run = CliRun.of("tracker", "--interval", "soon");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errorLine()).isEqualTo("jtorrent: --interval must be a duration of at least 1s such as 30s,"
                + " 30m or 1h, not 'soon'");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        CliRun run = CliRun.of("tracker", "--port", "70000");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errorLine()).isEqualTo("jtorrent: --port must be in 0..65535, not 70000");
    }

    @Test
    void intervalsReadShortFormsSecondsAndIso() {
        assertThat(TrackerCommand.parseInterval("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TrackerCommand.parseInterval("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(TrackerCommand.parseInterval("120")).isEqualTo(Duration.ofMinutes(2));
        assertThat(TrackerCommand.parseInterval("PT30M")).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> TrackerCommand.parseInterval("0s")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> TrackerCommand.parseInterval("")).isInstanceOf(UsageException.class);
    }
}
