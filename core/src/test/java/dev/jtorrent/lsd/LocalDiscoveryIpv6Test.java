package dev.jtorrent.lsd;

import dev.jtorrent.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LSD over IPv6 on a real link: the group [ff15::efc0:988f]:6771, joined and sent to on an interface with IPv6
 * addresses. {@code lo} carries no IPv6 multicast (a send there fails with "network unreachable"), so the test makes
 * a link of its own: it runs {@link Ipv6LinkProbe} in a JVM inside a new network namespace ({@code unshare --net},
 * which needs root) with a veth pair, {@code v0} holding {@code fd01::1} and {@code fd01::2}. The namespace and the
 * pair end with that JVM, and nothing in them reaches the host's interfaces. Without root, {@code unshare} or {@code
 * ip}, the test fails under {@code CI=true} and is skipped elsewhere, saying what it needs.
 */
class LocalDiscoveryIpv6Test {
    private static final String SETUP = "ip link set lo up && ip link add v0 type veth peer name v1"
            + " && ip link set v1 up && ip link set v0 up"
            + " && ip -6 addr add fd01::1/64 dev v0 nodad && ip -6 addr add fd01::2/64 dev v0 nodad";

    @Test
    @Timeout(60)
    void twoClientsOnAnIpv6LinkFindEachOtherThroughTheIpv6Group() throws Exception {
        Prerequisite.require(succeeds(List.of("unshare", "--net", "--", "ip", "link", "add", "v0", "type", "veth",
                "peer", "name", "v1")), "root, unshare and ip (iproute2), to make a network namespace with a veth pair");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = location(LocalDiscovery.class) + File.pathSeparator + location(Ipv6LinkProbe.class);
        Process probe = new ProcessBuilder("unshare", "--net", "--", "sh", "-c",
                SETUP + " && exec \"$0\" -cp \"$1\" " + Ipv6LinkProbe.class.getName(), java, classPath)
                .redirectErrorStream(true).start();
        String output;
        try {
            output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).as("the probe ended").isTrue();
        } finally {
            probe.destroyForcibly();
        }

        assertThat(output).as("the probe's output").contains("FOUND LocalPeer[infoHash=666666");
        assertThat(probe.exitValue()).as("the probe's exit code; its output:\n%s", output).isZero();
    }

    private static boolean succeeds(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
