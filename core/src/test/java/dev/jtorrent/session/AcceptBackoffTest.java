package dev.jtorrent.session;

import dev.jtorrent.Prerequisite;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session out of file descriptors (EMFILE) does not spin on its listen socket (45,000 failed accepts a second
 * without {@link AcceptLoop}'s back-off), and takes the waiting connection in once descriptors are free again. The
 * limit is real: this JVM's own soft limit on open files is lowered with {@code prlimit} for the test, every
 * descriptor left is taken, and both are given back after.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcceptBackoffTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void outOfDescriptorsTheListenerWaitsWithoutSpinningAndGoesOnWhenSomeAreFree() throws Exception {
        Path content = swarm.content("few-files", 64 * 1024);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session session = swarm.session();
        swarm.add(session, torrent, content.getParent());
        // A first handshake loads every class the session's side needs: out of descriptors, loading one fails.
        try (SocketChannel first = SocketChannel.open()) {
            first.connect(new InetSocketAddress(LoopbackSwarm.LOOPBACK, session.port()));
            assertThat(handshake(first, torrent).infoHash()).isEqualTo(torrent.infoHash());
        }
        long pid = ProcessHandle.current().pid();
        String[] limits = currentNoFileLimits(pid);

        List<FileChannel> hogs = new ArrayList<>();
        // Its descriptor is taken now: once out of them, connecting takes none in this process, accepting one.
        SocketChannel client = SocketChannel.open();
        long firstFailures;
        long failures;
        try {
            prlimit(pid, (openDescriptors() + 16) + ":" + limits[1]);
            Path hogFile = Files.createFile(swarm.dir().resolve("hog"));
            takeEveryDescriptor(hogFile, hogs);
            client.connect(new InetSocketAddress(LoopbackSwarm.LOOPBACK, session.port()));

            // Nothing here may load a class: loading one needs a descriptor too. Assertions come after.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (session.acceptFailures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            firstFailures = session.acceptFailures();
            Thread.sleep(1_500); // the listener meets EMFILE over and over: 10 ms, 20 ms... apart, not a spin
            failures = session.acceptFailures() - firstFailures;
        } finally {
            for (FileChannel hog : hogs) {
                hog.close();
            }
            prlimit(pid, limits[0] + ":" + limits[1]);
        }
        assertThat(firstFailures).as("failed accepts once out of descriptors").isPositive();
        // Backed off, about 7 more tries in 1.5 s (10 + 20 + ... + 640 ms = 1.27 s); spinning, tens of thousands.
        assertThat(failures).as("failed accepts in 1.5 s out of descriptors").isBetween(1L, 10L);
        try (client) {
            // Within the longest back-off (1 s) the connection is accepted and answered.
            assertThat(handshake(client, torrent).infoHash()).isEqualTo(torrent.infoHash());
        }
    }

    private static Handshake handshake(SocketChannel channel, Torrent torrent) throws IOException {
        channel.socket().setSoTimeout(10_000);
        channel.write(ByteBuffer.wrap(Handshake.of(torrent.infoHash(), PeerId.random("-FK0000-")).encode()));
        return WireReader.of(channel.socket().getInputStream()).readHandshake();
    }

    /** Opens {@code file} until this process may open no more (EMFILE), keeping every channel in {@code hogs}. */
    private static void takeEveryDescriptor(Path file, List<FileChannel> hogs) {
        try {
            while (true) {
                hogs.add(FileChannel.open(file, StandardOpenOption.READ));
            }
        } catch (IOException e) {
            // every descriptor is taken
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** The soft and hard limits on open files of process {@code pid}. */
    private String[] currentNoFileLimits(long pid) throws Exception {
        String out = run("prlimit", "--pid", Long.toString(pid), "--nofile", "--output=SOFT,HARD", "--noheadings");
        String[] limits = out.strip().split("\\s+");
        Prerequisite.require(limits.length == 2, "prlimit's limits on open files, not: " + out);
        return limits;
    }

    private void prlimit(long pid, String softAndHard) throws Exception {
        run("prlimit", "--pid", Long.toString(pid), "--nofile=" + softAndHard);
    }

    /**
     * Runs {@code command} and returns its output. Through a file, not a pipe: the JDK closes a pipe to a child when
     * the child has exited, on a thread of its own, which would free a descriptor at a moment nobody chose.
     */
    private String run(String... command) throws Exception {
        Path output = Files.createTempFile(swarm.dir(), "prlimit", ".out");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw Prerequisite.unmet("prlimit (util-linux) to lower this process's limit on open files: "
                    + e.getMessage());
        }
        int exit = process.waitFor();
        String out = Files.readString(output);
        Prerequisite.require(exit == 0, String.join(" ", command) + " failed: " + out);
        return out;
    }
}
