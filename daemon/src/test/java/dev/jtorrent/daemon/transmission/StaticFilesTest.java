package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StaticFilesTest {
    @TempDir
    Path dir;

    @Test
    void servesFilesOfTheWebHomeAndTheIndexOfItsDirectories() throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "root");
        Files.createDirectories(web.resolve("sub"));
        Files.writeString(web.resolve("sub").resolve("index.html"), "sub");
        StaticFiles files = new StaticFiles(Optional.of(web));

        assertThat(new String(((StaticFiles.Lookup.Found) files.find("")).bytes())).isEqualTo("root");
        assertThat(new String(((StaticFiles.Lookup.Found) files.find("sub/")).bytes())).isEqualTo("sub");
        assertThat(new String(((StaticFiles.Lookup.Found) files.find("sub")).bytes())).isEqualTo("sub");
        assertThat(files.find("missing.js")).isEqualTo(new StaticFiles.Lookup.NotFound(Pages.NOT_FOUND));
    }

    @Test
    void nothingOutsideTheWebHomeIsServedByDotsAbsolutePathsOrLinks() throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(web.resolve("link.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(web.resolve("linkdir"), dir);
        StaticFiles files = new StaticFiles(Optional.of(web));

        for (String path : new String[]{"../secret.txt", "a/../../secret.txt", "/etc/passwd",
                dir.resolve("secret.txt").toString(), "link.txt", "linkdir/secret.txt"}) {
            assertThat(files.find(path)).as(path).isEqualTo(new StaticFiles.Lookup.NotFound(Pages.TRAVERSAL));
        }
    }

    @Test
    void withoutAWebHomeEveryPathSaysHowToGetOne() {
        assertThat(new StaticFiles(Optional.empty()).find("index.html"))
                .isEqualTo(new StaticFiles.Lookup.NotFound(Pages.NO_WEB_HOME));
    }
}
