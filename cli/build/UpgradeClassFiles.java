import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A build step (cli/pom.xml, JDK 24 or newer): {@code java UpgradeClassFiles.java JAR PREFIX} rewrites the class
 * files under {@code PREFIX} in {@code JAR}, in place, to class-file version 65 (Java 21) with stack map frames.
 *
 * <p>Why: picocli is compiled for Java 5 (version 49). The JVM verifies such classes with the old type-inferring
 * verifier, and its class-data sharing archive refuses them ("Old class has been linked"), so every jtorrent start
 * read, parsed and verified picocli's classes from the jar: about 0.05 CPU seconds of a start that costs 0.42.
 * The bytecode is the same; only the version changes and frames are computed, by the JDK's own class-file API.
 * Any class that cannot be rewritten fails the build.
 */
public final class UpgradeClassFiles {
    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java UpgradeClassFiles.java JAR PREFIX");
        }
        Path jar = Path.of(args[0]);
        String prefix = args[1];
        Map<String, ZipEntry> entries = new LinkedHashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), entry);
                contents.put(entry.getName(), in.readAllBytes());
            }
        }
        // Frames need the common super class of two types: looked up among the jar's classes, then the JDK's.
        ClassHierarchyResolver jarClasses = ClassHierarchyResolver.ofResourceParsing(type -> {
            String descriptor = type.descriptorString();
            byte[] bytes = contents.get(descriptor.substring(1, descriptor.length() - 1) + ".class");
            return bytes == null ? null : (InputStream) new ByteArrayInputStream(bytes);
        });
        ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(jarClasses.orElse(ClassHierarchyResolver.defaultResolver())));
        ClassTransform toJava21 = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(ClassFile.JAVA_21_VERSION, 0);
            } else {
                builder.with(element);
            }
        };
        // Every method body is built again, which is what makes the API compute its frames.
        ClassTransform transform = toJava21.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
        int upgraded = 0;
        // Beside the jar, made as any file is (not createTempFile, whose file only its owner may read).
        Path temporary = jar.resolveSibling(jar.getFileName() + ".upgrading");
        try {
            try (OutputStream file = Files.newOutputStream(temporary); ZipOutputStream out = new ZipOutputStream(file)) {
                for (Map.Entry<String, ZipEntry> entry : entries.entrySet()) {
                    String name = entry.getKey();
                    byte[] bytes = contents.get(name);
                    if (name.startsWith(prefix) && name.endsWith(".class")) {
                        bytes = classFile.transformClass(classFile.parse(bytes), transform);
                        upgraded++;
                    }
                    ZipEntry copy = new ZipEntry(name);
                    copy.setTime(entry.getValue().getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            Files.move(temporary, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        if (upgraded == 0) {
            throw new IllegalStateException("no class under " + prefix + " in " + jar);
        }
        System.out.println("UpgradeClassFiles: " + upgraded + " classes under " + prefix + " in " + jar.getFileName()
                + " now have class-file version 65");
    }
}
