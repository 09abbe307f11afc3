package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.swarm.PieceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResumeFileTest {
    @TempDir
    Path dir;

    @Test
    void aSavedFileLoadsBackAndItsDirectoryIsCreated() throws Exception {
        ResumeFile file = new ResumeFile(dir.resolve("state/resume/x.resume"));
        file.save(1, data("/a", 3));

        assertThat(file.load()).hasValueSatisfying(d -> assertThat(d.directory()).isEqualTo("/a"));
        assertThat(dir.resolve("state/resume")).isDirectoryContaining(p -> p.endsWith("x.resume"))
                .isDirectoryNotContaining(p -> p.toString().endsWith(".tmp"));
    }

    @Test
    void noFileIsNoData() throws Exception {
        assertThat(new ResumeFile(dir.resolve("none.resume")).load()).isEmpty();
    }

    @Test
    void anOlderSnapshotNeverReplacesANewerOne() throws Exception {
        ResumeFile file = new ResumeFile(dir.resolve("x.resume"));
        file.save(5, data("/newer", 1));
        file.save(4, data("/older", 1));

        assertThat(file.load()).hasValueSatisfying(d -> assertThat(d.directory()).isEqualTo("/newer"));
    }

    @Test
    void aSaveThatFailsHalfWayLeavesTheOldCopyWhole() throws Exception {
        Path path = dir.resolve("x.resume");
        new ResumeFile(path).save(1, data("/old", 8));
        ResumeFile failing = new ResumeFile(path, (p, options) -> {
            FileChannel channel = FileChannel.open(p, options);
            channel.write(java.nio.ByteBuffer.wrap("d6:format".getBytes()));
            channel.close();
            throw new IOException("No space left on device");
        });

        assertThatThrownBy(() -> failing.save(2, data("/new", 8))).hasMessageContaining("No space left");
        assertThat(new ResumeFile(path).load()).hasValueSatisfying(d -> assertThat(d.directory()).isEqualTo("/old"));
    }

    @Test
    void aFileBiggerThanAnyResumeFileIsRefusedWithoutReadingIt() throws Exception {
        Path path = dir.resolve("huge.resume");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(ResumeData.MAX_SIZE + 1L); // sparse: no disk used
        }
        assertThatThrownBy(() -> new ResumeFile(path).load())
                .isInstanceOf(ResumeData.InvalidResumeDataException.class).hasMessageContaining("bytes");
        assertThat(Files.size(path)).isEqualTo(ResumeData.MAX_SIZE + 1L);
    }

    private static ResumeData data(String directory, int pieces) {
        return ResumeData.of(InfoHash.of(new byte[20]), directory, PieceSet.all(pieces),
                List.of(new FileState(100, 200)));
    }
}
