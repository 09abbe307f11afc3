package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Renaming a file or folder of a torrent, as a plan over its paths: what moves where, and what is refused. */
class FileNamesTest {
    private static final InfoDictionary INFO = new InfoDictionary("Album", 16, new byte[20 * 3], true, List.of(
            file(0, 10, "Album", "CD1", "01.flac"),
            file(10, 10, "Album", "CD1", "02.flac"),
            file(20, 10, "Album", "CD2", "01.flac"),
            file(30, 10, "Album", "cover.jpg")), false, Optional.empty(), false);

    private final FileNames names = new FileNames(INFO, Map.of());

    @Test
    void aFileIsRenamedInItsFolder() {
        FileNames.Plan plan = names.plan("Album/CD1/02.flac", "02 - Song.flac");

        assertThat(plan.from()).containsOnlyKeys(1);
        assertThat(plan.to()).containsEntry(1, List.of("Album", "CD1", "02 - Song.flac"));
        names.apply(plan);
        assertThat(names.layout().files().get(1).path()).containsExactly("Album", "CD1", "02 - Song.flac");
        assertThat(names.layout().files().get(0).path()).containsExactly("Album", "CD1", "01.flac");
        assertThat(names.renamed()).containsOnlyKeys(1);
    }

    @Test
    void aFolderTakesEveryFileBelowItAndTheTopFolderTakesThemAll() {
        FileNames.Plan folder = names.plan("Album/CD1", "Disc 1");
        assertThat(folder.to()).containsOnlyKeys(0, 1);
        assertThat(folder.to().get(1)).containsExactly("Album", "Disc 1", "02.flac");

        FileNames.Plan top = names.plan("/Album/", "Record");
        assertThat(top.to()).containsOnlyKeys(0, 1, 2, 3);
        assertThat(top.target()).containsExactly("Record");
        names.apply(top);
        assertThat(names.layout().files()).allSatisfy(f -> assertThat(f.path().getFirst()).isEqualTo("Record"));
        assertThat(names.layout().name()).as("the torrent's name stays its metadata's").isEqualTo("Album");
    }

    @Test
    void renamingBackToTheOriginalPathForgetsTheRename() {
        names.apply(names.plan("Album/cover.jpg", "front.jpg"));
        names.apply(names.plan("Album/front.jpg", "cover.jpg"));

        assertThat(names.renamed()).isEmpty();
        assertThat(names.layout()).isSameAs(INFO);
    }

    @Test
    void namesThatAreNotOnePlainNameAreRefused() {
        for (String bad : List.of("", ".", "..", "a/b", "a\\b", "tab\there", "bidi\u202Ename")) {
            assertThatThrownBy(() -> names.plan("Album/cover.jpg", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("\t");
        }
    }

    @Test
    void pathsThatAreNoFileOrFolderOfTheTorrentAreRefused() {
        assertThatThrownBy(() -> names.plan("Album/CD3", "x")).hasMessage("no file or folder of the torrent is at"
                + " Album/CD3");
        assertThatThrownBy(() -> names.plan("Album/../etc", "x")).hasMessageStartingWith("not a path of the torrent");
        assertThatThrownBy(() -> names.plan("", "x")).hasMessageStartingWith("not a path of the torrent");
        assertThatThrownBy(() -> names.plan("Alb", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRenameOntoAnotherFileOrFolderOfTheTorrentIsRefused() {
        assertThatThrownBy(() -> names.plan("Album/CD1", "CD2"))
                .hasMessage("the torrent's file Album/CD2/01.flac is in the way of Album/CD2");
        assertThatThrownBy(() -> names.plan("Album/CD1/01.flac", "02.flac"))
                .hasMessage("the torrent's file Album/CD1/02.flac is in the way of Album/CD1/02.flac");
    }

    @Test
    void keptPathsThatDoNotFitTheTorrentAreIgnored() {
        FileNames kept = new FileNames(INFO, Map.of(3, List.of("Album", "front.jpg"), 9, List.of("x"),
                0, List.of("Album", "..", "escape")));

        assertThat(kept.renamed()).containsOnlyKeys(3);
        assertThat(kept.layout().files().get(3).path()).containsExactly("Album", "front.jpg");
    }

    private static FileEntry file(long offset, long length, String... path) {
        return new FileEntry(List.of(path), length, offset, false, false, false, Optional.empty());
    }
}
