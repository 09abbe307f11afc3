package dev.jtorrent.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedPathsTest {
    @TempDir
    Path dir;

    private AllowedPaths allowed() throws Exception {
        Files.createDirectories(dir.resolve("downloads"));
        Files.createDirectories(dir.resolve("web"));
        Files.createDirectories(dir.resolve("secret"));
        return new AllowedPaths(List.of(dir.resolve("downloads"), dir.resolve("web")));
    }

    @Test
    void pathsUnderAnAllowedDirectoryPassEvenIfTheyDoNotExistYet() throws Exception {
        AllowedPaths allowed = allowed();
        Path real = dir.toRealPath();
        assertThat(allowed.check(dir.resolve("downloads").toString())).isEqualTo(real.resolve("downloads"));
        assertThat(allowed.check(dir.resolve("downloads/tv/new").toString()))
                .isEqualTo(real.resolve("downloads/tv/new"));
        assertThat(allowed.check(dir.resolve("downloads/tv/../films").toString()))
                .isEqualTo(real.resolve("downloads/films"));
    }

    @Test
    void absolutePathsElsewhereRelativePathsAndClimbingOutAreRefused() throws Exception {
        AllowedPaths allowed = allowed();
        for (String bad : new String[] {dir.resolve("secret").toString(), "/etc", "/",
                dir.resolve("downloads/../secret").toString(), dir.resolve("downloads-evil").toString(),
                "downloads", "../x"}) {
            assertThatThrownBy(() -> allowed.check(bad)).as(bad)
                    .isInstanceOf(AllowedPaths.PathNotAllowedException.class);
        }
    }

    @Test
    void aSymbolicLinkLeadingOutIsRefusedAndOneStayingInsidePasses() throws Exception {
        AllowedPaths allowed = allowed();
        Files.createSymbolicLink(dir.resolve("downloads/out"), dir.resolve("secret"));
        Files.createSymbolicLink(dir.resolve("downloads/in"), dir.resolve("web"));
        Files.createSymbolicLink(dir.resolve("downloads/dangling"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> allowed.check(dir.resolve("downloads/out/x").toString()))
                .isInstanceOf(AllowedPaths.PathNotAllowedException.class);
        assertThatThrownBy(() -> allowed.check(dir.resolve("downloads/dangling/x").toString()))
                .isInstanceOf(AllowedPaths.PathNotAllowedException.class);
        assertThat(allowed.check(dir.resolve("downloads/in/index.html").toString()))
                .isEqualTo(dir.toRealPath().resolve("web/index.html"));
    }

    @Test
    void webFilesResolveUnderTheirRootOnly() throws Exception {
        AllowedPaths allowed = allowed();
        Path web = dir.resolve("web");
        Files.writeString(web.resolve("index.html"), "<html>");
        Files.createSymbolicLink(web.resolve("escape"), dir.resolve("secret"));
        assertThat(allowed.resolve(web, "index.html")).isEqualTo(web.toRealPath().resolve("index.html"));
        for (String bad : new String[] {"../secret/x", "/etc/passwd", "a/../../secret", "escape/x"}) {
            assertThatThrownBy(() -> allowed.resolve(web, bad)).as(bad)
                    .isInstanceOf(AllowedPaths.PathNotAllowedException.class);
        }
    }
}
