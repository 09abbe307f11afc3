package dev.jtorrent.cli.interop;

import dev.jtorrent.examples.Embedding;
import dev.jtorrent.session.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's embedding example, {@code dev.jtorrent.examples.Embedding}, run as a user runs it: in a JVM of its
 * own on the module path, with nothing but jtorrent's module and its own, downloading bit-exact from a real
 * libtorrent seeder found through opentracker.
 */
class EmbeddingExampleIT {
    private static final String LEECHER_IP = "127.0.0.12";

    @TempDir
    Path dir;

    private Swarm swarm;

    @Test
    @Timeout(180)
    void theEmbeddingExampleDownloadsFromLibtorrent() {
        swarm = new Swarm(dir, SeederClient.LIBTORRENT, Announce.HTTP).seed();

        Example example = new Example();
        swarm.download(example, LEECHER_IP, dir.resolve("example"), Duration.ofSeconds(60));

        assertThat(example.output).contains("complete: " + swarm.content().getFileName())
                .contains("downloading -> seeding");
    }

    @AfterEach
    void stopEveryProcess() {
        if (swarm != null) {
            swarm.close();
        }
    }

    /** The example program as a leecher: {@code java -p CORE:EXAMPLES -m dev.jtorrent.examples/...}. */
    private static final class Example implements Leecher {
        String output = "";

        @Override
        public String name() {
            return "the embedding example";
        }

        @Override
        public Download download(Path torrent, Path into, String ip, int port, Duration timeout) {
            Path logDir = into.resolveSibling(into.getFileName() + ".example");
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=dev.jtorrent", "--module-path", modulePath(),
                    "--module", "dev.jtorrent.examples/" + Embedding.class.getName(),
                    torrent.toString(), into.toString(), Integer.toString(port), ip);
            long started = System.nanoTime();
            try (BackgroundProcess process = BackgroundProcess.start(name(), command, logDir, Map.of())) {
                OptionalInt exit = process.awaitExit(timeout.plusSeconds(20));
                output = Files.readString(process.log());
                if (exit.isEmpty() || exit.getAsInt() != 0) {
                    throw new AssertionError("the example " + (exit.isEmpty() ? "did not finish in " + timeout
                            : "exited with " + exit.getAsInt()) + "\n" + process.describe());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Download(Duration.ofNanos(System.nanoTime() - started), Map.of());
        }

        /** jtorrent's module and the examples' module, as the build made them (jars, or classes directories). */
        private static String modulePath() {
            try {
                return locationOf(Session.class) + java.io.File.pathSeparator + locationOf(Embedding.class);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Path locationOf(Class<?> type) throws URISyntaxException {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
    }
}
