package dev.jtorrent.tracker;

import dev.jtorrent.Prerequisite;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An IPv4 address of this machine's that is neither loopback nor link-local, made for a test that needs one: the end
 * of a veth pair in this network namespace holds {@link #ADDRESS}, and the other end lies in a namespace made for it.
 * The interface stays down, so nothing reaches the other end: what this process sends to the address, it receives
 * itself, through loopback. {@link #close()} removes the namespace, and with it both ends of the pair. Needs root
 * and {@code ip} (Debian: iproute2); without them the test fails under {@code CI=true} and is skipped elsewhere.
 */
final class OwnNetworkAddress implements AutoCloseable {
    /** In TEST-NET-2 (RFC 5737), reserved for documentation: no network uses it, so it stands for a far tracker. */
    static final String ADDRESS = "198.51.100.1";
    private static final String PREFIX = "jtssrf";

    private final String namespace;
    private final InetAddress address;

    private OwnNetworkAddress(String namespace, InetAddress address) {
        this.namespace = namespace;
        this.address = address;
    }

    /** Makes the address; removes first what a test process that died before its {@link #close()} left. */
    static OwnNetworkAddress create() throws IOException, InterruptedException {
        if (run(List.of("ip", "-V")) != 0) {
            throw Prerequisite.unmet("a network address of the test's own needs ip: apt-get install iproute2");
        }
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        String namespace = PREFIX + "-" + pid;
        String near = PREFIX + pid + "a";
        if (run(List.of("ip", "netns", "add", namespace)) != 0) {
            throw Prerequisite.unmet("a network address of the test's own needs root (CAP_SYS_ADMIN and "
                    + "CAP_NET_ADMIN) to make a network namespace and a veth pair: ip netns add failed");
        }
        OwnNetworkAddress own = new OwnNetworkAddress(namespace, InetAddress.getByName(ADDRESS));
        try {
            require(List.of("ip", "link", "add", near, "type", "veth", "peer", "name", PREFIX + pid + "b",
                    "netns", namespace));
            require(List.of("ip", "address", "add", ADDRESS + "/32", "dev", near));
            return own;
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
    }

    InetAddress address() {
        return address;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        require(List.of("ip", "netns", "delete", namespace));
    }

    /** The namespaces of test processes that are gone. */
    private static void removeLeftovers() throws IOException, InterruptedException {
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(10, TimeUnit.SECONDS);
        for (String line : names.lines().toList()) {
            String name = line.split(" ")[0];
            if (name.startsWith(PREFIX + "-")) {
                long pid = Long.parseLong(name.substring(PREFIX.length() + 1));
                if (ProcessHandle.of(pid).isEmpty()) {
                    require(List.of("ip", "netns", "delete", name));
                }
            }
        }
    }

    private static void require(List<String> command) throws IOException, InterruptedException {
        if (run(command) != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    /** Runs {@code command} to its end (10 s at most) and returns its exit code; its errors go to this one's. */
    private static int run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after 10 s: " + String.join(" ", command));
            }
            return process.exitValue();
        } catch (IOException e) {
            return 127; // not installed
        }
    }
}
