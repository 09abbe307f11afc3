package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jtorrent} launcher, README's first command: it runs the demo, and it hands the JVM the compiler
 * directives for short transfers (which the JVM refuses to start without when they are malformed) to {@code demo}
 * and {@code download} alone. The other tests run the jar directly, so only these go through the script.
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

    @TempDir
    Path dir;

    /** The launcher finds the command after options given before it. */
    @Test
    void theDemoRunsWithTheShortTransferDirectives() throws Exception {
        String output = run(List.of("--verbose", "demo", "--size", "4MiB"), PRINT_DIRECTIVES);

        assertThat(output).contains("Verified: all", LOADED);
    }

    @Test
    void theJvmSaysNothingOfTheDirectivesInTheDemosOutput() throws Exception {
        String output = run(List.of("demo", "--size", "4MiB"), "");

        assertThat(output).contains("Verified: all").doesNotContain("compiler directives");
    }

    @Test
    void otherCommandsRunWithTheDefaultCompilers() throws Exception {
        Path content = Files.write(dir.resolve("content.bin"), new byte[100_000]);

        String output = run(List.of("create", content.toString(), "-o", dir.resolve("content.torrent").toString()),
                PRINT_DIRECTIVES);

        assertThat(output).doesNotContain(LOADED);
        assertThat(dir.resolve("content.torrent")).isNotEmptyFile();
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
