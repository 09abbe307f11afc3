package dev.jtorrent.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory store example downloads its torrent into memory, bit-exact, and writes no file of it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InMemoryStoreTest {
    @TempDir
    Path dir;

    @Test
    void theExampleDownloadsIntoMemoryWhatTheSeedHasInItsFile() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        byte[] kept = InMemoryStore.run(dir, new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(kept).isEqualTo(Files.readAllBytes(dir.resolve("random.bin")));
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("downloaded 16 pieces of random.bin into memory")
                .contains("they match random.bin");
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(dir.resolve("random.bin"));
        }
    }
}
