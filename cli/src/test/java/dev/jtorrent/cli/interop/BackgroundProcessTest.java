package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundProcessTest {

    @TempDir
    Path dir;

    private BackgroundProcess sh(String script) {
        return BackgroundProcess.start("sh-test", List.of("sh", "-c", script), dir, Map.of("GREETING", "hello"));
    }

    @Test
    void awaitsALineOfItsOutputAndKillsItsChildrenOnClose() {
        ProcessHandle child;
        try (BackgroundProcess process = sh("sleep 300 & echo \"$GREETING\"; wait")) {
            process.awaitLine("hello", Duration.ofSeconds(10));
            child = Await.until("the child sleep", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(process.pid()).flatMap(p -> p.children().findFirst()), () -> "");
        }
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aSignalSentByNameReachesTheProcess() {
        try (BackgroundProcess process = sh("trap 'echo \"got USR1\"; exit 3' USR1; echo \"$GREETING, pid $$\";"
                + " while :; do sleep 0.1; done")) {
            process.awaitLineStartingWith("hello, pid ", Duration.ofSeconds(10));
            process.signal("USR1");
            process.awaitLine("got USR1", Duration.ofSeconds(10));
            assertThat(process.awaitExit(Duration.ofSeconds(10))).hasValue(3);
        }
    }

    @Test
    void aProcessThatExitsFailsTheWaitAtOnceWithItsLastLines() {
        try (BackgroundProcess process = sh("echo 'bad config'; exit 2")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> process.awaitLine("ready", Duration.ofSeconds(30)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited with code 2")
                    .hasMessageContaining("bad config");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheContext() {
        assertThatThrownBy(() -> Await.until("a miracle", Duration.ofMillis(200), Optional::empty,
                () -> "--- the client's last words"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("timed out after PT0.2S waiting for a miracle")
                .hasMessageContaining("--- the client's last words");
    }
}
