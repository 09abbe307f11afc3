package dev.jtorrent.daemon;

import dev.jtorrent.session.Session;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon reaches core as any embedder does: through the packages core's module exports to everyone. The module
 * system already refuses anything else when the daemon's main code is compiled (it has a {@code module-info}, so
 * Maven compiles it on the module path); this test reads the compiled classes and core's module descriptor, so
 * that a later build that compiles on the class path, or a package exported to the daemon by name, is caught too.
 */
class CorePackagesTest {
    private static final Pattern OUR_PACKAGE = Pattern.compile("dev/jtorrent/([a-z0-9_]+)/");

    @Test
    void theDaemonUsesOnlyThePackagesCoreExportsToEveryone() throws Exception {
        Set<String> exported = descriptor(Path.of(Session.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI())).exports().stream().filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).contains("dev.jtorrent.session", "dev.jtorrent.metainfo")
                .doesNotContain("dev.jtorrent.swarm", "dev.jtorrent.storage");

        Path classes = Path.of(Daemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor daemon = descriptor(classes);
        assertThat(daemon.name()).isEqualTo("dev.jtorrent.daemon");
        assertThat(daemon.requires()).extracting(ModuleDescriptor.Requires::name).contains("dev.jtorrent");

        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                Matcher matcher = OUR_PACKAGE.matcher(new String(Files.readAllBytes(file),
                        StandardCharsets.ISO_8859_1));
                while (matcher.find()) {
                    used.add("dev.jtorrent." + matcher.group(1));
                }
            }
        }
        used.remove("dev.jtorrent.daemon");
        assertThat(used).isNotEmpty().isSubsetOf(exported);
    }

    /** The module descriptor of a classes directory or a jar. */
    private static ModuleDescriptor descriptor(Path location) throws Exception {
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + location.toUri()), Map.of());
             InputStream in = Files.newInputStream(jar.getPath("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }
}
