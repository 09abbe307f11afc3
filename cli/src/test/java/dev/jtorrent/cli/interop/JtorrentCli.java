package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jtorrent command line as users run it: {@code java -jar jtorrent.jar ...} in a process of its own, on the JDK
 * the tests run on (release 21 or newer, which a machine's default java may not be), or the {@code ./jtorrent}
 * launcher with the JVM settings it chooses. Failsafe passes the jar's path in the system property
 * {@code jtorrent.jar} and the launcher's in {@code jtorrent.launcher}.
 */
final class JtorrentCli {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** What comes before the arguments: the JVM and the jar, or the launcher. */
    private final List<String> program;

    private JtorrentCli(List<String> program) {
        this.program = List.copyOf(program);
    }

    static JtorrentCli fromBuild() {
        Path jar = existingFile("jtorrent.jar", "./mvnw verify builds it before the integration tests");
        return new JtorrentCli(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
    }

    /** Through {@code ./jtorrent}, which starts the JVM with its own settings (and builds the jar if stale). */
    static JtorrentCli fromLauncher() {
        return new JtorrentCli(List.of(existingFile("jtorrent.launcher", "the launcher is at the repository's root")
                .toString()));
    }

    /** The file a system property names, which must exist; {@code hint} says where it comes from. */
    private static Path existingFile(String property, String hint) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new AssertionError("system property " + property + " is not set; run the tests with ./mvnw verify");
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new AssertionError(path + " does not exist; " + hint);
        }
        return path;
    }

    /** Runs {@code jtorrent ARGS} and returns what it did, whatever its exit code. */
    ExternalProcess.Result run(String... args) {
        return ExternalProcess.of(TIMEOUT, command(List.of(args))).run();
    }

    /** The command line of {@code jtorrent ARGS}, for a process the caller runs itself. */
    List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(program);
        command.addAll(args);
        return command;
    }

    /** {@code jtorrent create CONTENT -o OUT OPTIONS...}, which must succeed and write OUT. */
    Path create(Path content, Path out, List<String> options) {
        List<String> args = new ArrayList<>(List.of("create", content.toString(), "-o", out.toString()));
        args.addAll(options);
        ExternalProcess.Result result = run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(out).as("torrent written by " + result.describe()).isNotEmptyFile();
        return out;
    }

    /** {@code jtorrent info SOURCE --json}, which must succeed and print one JSON object. */
    TorrentSummary info(Path torrent) {
        ExternalProcess.Result result = run("info", torrent.toString(), "--json");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        try {
            return TorrentSummary.fromJson(JsonReader.readObject(result.stdout().strip()));
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("cannot read the JSON of " + result.describe(), e);
        }
    }
}
