package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jtorrent} launcher, README's first command: it runs the demo, it gives the JVM its memory settings,
 * and it chooses the JIT compilers for {@code demo} and {@code download} alone. Where jtorrent hashes with libcrypto
 * they run with C1 alone; elsewhere the JVM gets the compiler directives for short transfers (which it refuses to
 * start without when they are malformed), which {@code -Djtorrent.sha1=jdk} in JTORRENT_JAVA_OPTS brings about
 * anywhere. The other tests run the jar directly, so only these and {@link ConnectionChurnIT} go through the script.
 */
class LauncherIT {

    /**
     * The JVM says how many directives it loaded, and prints them when asked to, on its console output, which the
     * launcher turns off for the commands that load them. Options given in JTORRENT_JAVA_OPTS come last, so these
     * turn it back on.
     */
    private static final String PRINT_DIRECTIVES = "-XX:+UnlockDiagnosticVMOptions -XX:+DisplayVMOutput"
            + " -XX:+CompilerDirectivesPrint";
    private static final String LOADED = "2 compiler directives added";
    private static final String JDK_SHA1 = "-Djtorrent.sha1=jdk";
    private static final Pattern C1_ALONE = Pattern.compile("intx TieredStopAtLevel += 1 ");

    @TempDir
    Path dir;

    /** The launcher finds the command after options given before it. */
    @Test
    void theDemoRunsWithTheShortTransferDirectivesWhenHashingWithTheJdk() throws Exception {
        String output = run(List.of("--verbose", "demo", "--size", "4MiB"), PRINT_DIRECTIVES + " " + JDK_SHA1);

        assertThat(output).contains("Verified: all", LOADED).doesNotContainPattern(C1_ALONE);
    }

    @Test
    void theJvmSaysNothingOfTheDirectivesInTheDemosOutput() throws Exception {
        String output = run(List.of("demo", "--size", "4MiB"), JDK_SHA1);

        assertThat(output).contains("Verified: all").doesNotContain("compiler directives");
    }

    /**
     * Through the launcher, the jar's manifest enables native access and jtorrent hashes with libcrypto (on Linux,
     * with JDK 22 or newer and OpenSSL 3, as on CI), and then the demo runs with C1 alone and no directives.
     */
    @Test
    void theDemoRunsWithC1AloneWhenHashingWithLibcrypto() throws Exception {
        requireLibcrypto();

        String output = run(List.of("demo", "--size", "4MiB"), "-XX:+PrintFlagsFinal");

        assertThat(output).contains("Verified: all").containsPattern(C1_ALONE).doesNotContain("compiler directives");
    }

    /**
     * The jar's picocli classes have a current class-file version (build/UpgradeClassFiles.java, run by builds on
     * JDK 24 or newer), so the class-data sharing archive the launcher makes holds them, and a start maps them
     * instead of reading and verifying them; as picocli ships them, the archive refuses them.
     */
    @Test
    void picocliComesFromTheClassDataSharingArchive() throws Exception {
        if (Runtime.version().feature() < 24) {
            throw ExternalTool.missing("JDK 24 or newer for the build (it upgrades picocli's class files)",
                    "openjdk-25-jdk-headless, and build with it");
        }
        run(List.of("--version"), ""); // makes the archive, if the jar is newer than it

        String output = run(List.of("--version"), "-Xlog:class+load=info");

        assertThat(output).contains("picocli.CommandLine source: shared objects file",
                "picocli.CommandLine$Model$CommandSpec source: shared objects file");
    }

    /**
     * A download that finds its data complete never starts the JDK's security providers: neither the info hash nor
     * the peer id needs a {@code MessageDigest} or a {@code SecureRandom}, and starting them cost every start about
     * 0.03 CPU s.
     */
    @Test
    void aDownloadStartsNoSecurityProvider() throws Exception {
        requireLibcrypto(); // the JDK's SHA-1 is a MessageDigest
        Path content = Files.write(dir.resolve("content.bin"), new byte[100_000]);
        Path torrent = dir.resolve("content.torrent");
        run(List.of("create", content.toString(), "-o", torrent.toString()), "");

        // Bound to every address: --no-lsd, or local discovery would multicast on every interface of the machine,
        // and --no-dht, or the DHT would bootstrap from the public routers.
        String output = run(List.of("download", torrent.toString(), "-d", dir.toString(), "--quiet", "--no-lsd",
                "--no-dht",
                "--resume-dir", dir.resolve("resume").toString()), "-Xlog:class+load=info");

        assertThat(output).contains("dev.jtorrent.metainfo.TorrentParser source:")
                .doesNotContain("sun.security.provider.Sun ");
    }

    @Test
    void otherCommandsRunWithTheDefaultCompilers() throws Exception {
        Path content = Files.write(dir.resolve("content.bin"), new byte[100_000]);

        String output = run(List.of("create", content.toString(), "-o", dir.resolve("content.torrent").toString()),
                PRINT_DIRECTIVES + " -XX:+PrintFlagsFinal");

        assertThat(output).doesNotContain(LOADED).doesNotContainPattern(C1_ALONE);
        assertThat(dir.resolve("content.torrent")).isNotEmptyFile();
    }

    /**
     * The launcher's memory settings (docs/architecture.md, "Memory"): the serial collector, a heap of 16 MiB that
     * may grow to 1 GiB, and 2 GiB of direct memory at most, for every command but {@code tracker}, which keeps the
     * JVM's own; and a collector chosen in JTORRENT_JAVA_OPTS replaces the serial one rather than clash with it.
     */
    @Test
    void commandsRunWithTheLaunchersMemorySettingsAndTheTrackerWithTheJvms() throws Exception {
        Path content = Files.write(dir.resolve("content.bin"), new byte[100_000]);

        String create = run(List.of("create", content.toString(), "-o", dir.resolve("content.torrent").toString()),
                "-XX:+PrintFlagsFinal");
        String chosen = run(List.of("--version"), "-XX:+UseParallelGC -XX:+PrintFlagsFinal");
        String tracker = run(List.of("tracker", "--help"), "-XX:+PrintFlagsFinal");

        assertThat(create).containsPattern(given("UseSerialGC", "true")).containsPattern(given("InitialHeapSize",
                "16777216")).containsPattern(given("MaxHeapSize", "1073741824"))
                .containsPattern(given("MaxDirectMemorySize", "2147483648"));
        assertThat(chosen).containsPattern(given("UseParallelGC", "true"))
                .doesNotContainPattern(given("UseSerialGC", "true")).containsPattern(given("MaxHeapSize", "1073741824"));
        for (String flag : List.of("UseSerialGC", "InitialHeapSize", "MaxHeapSize", "MaxDirectMemorySize")) {
            assertThat(tracker).doesNotContainPattern(given(flag, "\\S+"));
        }
    }

    /** A line of -XX:+PrintFlagsFinal's table for a flag given on the command line, with the value it has. */
    private static Pattern given(String flag, String value) {
        return Pattern.compile(" " + flag + " += " + value + " +\\{product\\} \\{command line\\}");
    }

    /** jtorrent hashes with libcrypto (on Linux, with JDK 22 or newer and OpenSSL 3, as on CI). */
    private void requireLibcrypto() {
        String version = run(List.of("--version"), "");
        if (!version.contains("SHA-1: OpenSSL libcrypto.so.3")) {
            throw ExternalTool.missing("libcrypto (" + version.lines().reduce((first, last) -> last).orElse("")
                    + ")", "libssl3, and use a JDK of release 22 or newer");
        }
    }

    private String run(List<String> args, String javaOptions) {
        String launcher = System.getProperty("jtorrent.launcher");
        assertThat(launcher).as("system property jtorrent.launcher; run the tests with ./mvnw verify").isNotNull();
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(args);
        ExternalProcess.Result result = ExternalProcess.of(Duration.ofMinutes(2), command)
                .withEnvironment("JTORRENT_JAVA_OPTS", javaOptions).run().requireSuccess();
        return result.stdout() + result.stderr();
    }
}
