package dev.jtorrent.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileRenameTest {
    @TempDir
    Path root;

    @Test
    void aFileGetsItsNewPathWithItsDirectoriesAndKeepsItsBytesAndTime() throws Exception {
        Path old = Files.createDirectories(root.resolve("A/one")).resolve("f.bin");
        Files.write(old, new byte[] {1, 2, 3});
        var time = Files.getLastModifiedTime(old);

        assertThat(FileRename.rename(root, List.of("A", "one", "f.bin"), List.of("B", "two", "g.bin"))).isTrue();

        Path now = root.resolve("B/two/g.bin");
        assertThat(now).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(Files.getLastModifiedTime(now)).isEqualTo(time);
        assertThat(old).doesNotExist();
        FileRename.removeEmptyDirectories(root, List.of(List.of("A", "one", "f.bin")));
        assertThat(root.resolve("A")).doesNotExist();
    }

    @Test
    void nothingIsOverwrittenAndAMissingFileIsNotAnError() throws Exception {
        Files.write(root.resolve("a"), new byte[] {1});
        Files.write(root.resolve("b"), new byte[] {2});

        assertThatThrownBy(() -> FileRename.rename(root, List.of("a"), List.of("b")))
                .isInstanceOf(StorageException.class).hasMessageContaining("is not overwritten");
        assertThat(root.resolve("b")).hasBinaryContent(new byte[] {2});
        assertThat(root.resolve("a")).exists();
        assertThat(FileRename.rename(root, List.of("missing"), List.of("c"))).isFalse();
        assertThat(FileRename.free(root, List.of("b"))).isFalse();
        assertThat(FileRename.free(root, List.of("c"))).isTrue();
    }

    @Test
    void pathsLeavingTheRootAreRefused() {
        assertThatThrownBy(() -> FileRename.rename(root, List.of("a"), List.of("..", "x")))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> FileRename.free(root, List.of("x/../../y"))).isInstanceOf(StorageException.class);
    }

    /** A crash between the hard link and the unlink leaves both names on one file: finishing drops the old one. */
    @Test
    void finishingARenameCutShortCompletesItWhateverStepItReached() throws Exception {
        Files.write(root.resolve("both"), new byte[] {7});
        Files.createLink(root.resolve("both-new"), root.resolve("both"));
        Files.write(root.resolve("old-only"), new byte[] {8});
        Files.write(root.resolve("new-only"), new byte[] {9});
        Files.write(root.resolve("stranger"), new byte[] {1});
        Files.write(root.resolve("ours"), new byte[] {2});

        assertThat(FileRename.finish(root, List.of("both"), List.of("both-new"))).isTrue();
        assertThat(FileRename.finish(root, List.of("old-only"), List.of("moved"))).isTrue();
        assertThat(FileRename.finish(root, List.of("gone"), List.of("new-only"))).isFalse();
        assertThat(FileRename.finish(root, List.of("stranger"), List.of("ours"))).isFalse();

        assertThat(root.resolve("both")).doesNotExist();
        assertThat(root.resolve("both-new")).hasBinaryContent(new byte[] {7});
        assertThat(root.resolve("moved")).hasBinaryContent(new byte[] {8});
        assertThat(root.resolve("stranger")).as("two different files: neither touched").exists();
        assertThat(root.resolve("ours")).hasBinaryContent(new byte[] {2});
    }
}
