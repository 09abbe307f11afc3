package dev.jtorrent.examples;

import dev.jtorrent.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a program on the module path can reach of jtorrent: a consumer module that requires {@code dev.jtorrent} is
 * compiled here against the library as built (a jar, or its classes directory, both modular). The API and the formats
 * compile; an internal package does not, however public its types are.
 */
class ModuleBoundaryTest {
    @TempDir
    Path dir;

    @Test
    void theApiPackagesAreReachable() throws Exception {
        List<String> errors = compile("""
                package consumer;

                import dev.jtorrent.bencode.BencodeDecoder;
                import dev.jtorrent.metainfo.Torrent;
                import dev.jtorrent.session.AddOptions;
                import dev.jtorrent.session.PieceStore;
                import dev.jtorrent.session.Session;
                import dev.jtorrent.session.SessionConfig;

                public class Uses {
                    public static void main(String[] args) throws Exception {
                        try (Session session = Session.start(SessionConfig.builder().port(0).build())) {
                            session.add(Torrent.load(java.nio.file.Path.of(args[0])), AddOptions.defaults());
                            session.add(Torrent.load(java.nio.file.Path.of(args[1])), AddOptions.builder()
                                    .storage(new PieceStore.Factory() {
                                        public PieceStore open(Torrent torrent) throws java.io.IOException {
                                            throw new java.io.IOException("no store here");
                                        }

                                        public void delete(Torrent torrent) {
                                        }
                                    }).build());
                        }
                    }
                }
                """);

        assertThat(errors).isEmpty();
    }

    @Test
    void everyInternalPackageIsOutOfReach() throws Exception {
        for (String internal : List.of("dev.jtorrent.swarm.Swarm", "dev.jtorrent.storage.FileStorage",
                "dev.jtorrent.wire.PeerId", "dev.jtorrent.tracker.TrackerServer", "dev.jtorrent.digest.Sha1",
                "dev.jtorrent.net.BufferPool", "dev.jtorrent.peer.Handshaker", "dev.jtorrent.dht.Dht",
                "dev.jtorrent.mse.MseHandshake", "dev.jtorrent.utp.UtpSocket")) {
            List<String> errors = compile("""
                    package consumer;

                    import %s;

                    public class Reaches {
                    }
                    """.formatted(internal));

            String pkg = internal.substring(0, internal.lastIndexOf('.'));
            assertThat(errors).as(internal).anySatisfy(error -> assertThat(error)
                    .contains("package " + pkg + " is not visible"));
        }
    }

    /** Compiles module {@code consumer} with one class, {@code source}; returns the compiler's errors. */
    private List<String> compile(String source) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(dir.resolve("src").resolve("consumer"));
        Path moduleInfo = Files.writeString(dir.resolve("src").resolve("module-info.java"),
                "module consumer { requires dev.jtorrent; }\n");
        String className = source.contains("class Uses") ? "Uses" : "Reaches";
        Path file = Files.writeString(sources.resolve(className + ".java"), source);
        Path library = Path.of(Session.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--module-path", library.toString(),
                    "-d", Files.createDirectories(dir.resolve("out-" + className)).toString());
            compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(moduleInfo, file)).call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(Locale.ROOT))
                .toList();
    }
}
