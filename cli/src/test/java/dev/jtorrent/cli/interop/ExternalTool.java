package dev.jtorrent.cli.interop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A reference program the interop tests run, and the Debian package that provides it.
 *
 * <p>A missing tool never lets a test pass silently: on CI (environment {@code CI=true}) the test fails, since CI
 * installs every package in {@code .ci/run}; elsewhere the test is aborted and reported as such, with the
 * {@code apt-get install} line that would make it run. A test that lacks anything else the machine must provide
 * (root, say) ends the same way, through {@link #unmet}.
 */
record ExternalTool(String executable, String debianPackage) {

    static final ExternalTool PYTHON = new ExternalTool("/usr/bin/python3", "python3");
    static final ExternalTool TRANSMISSION_SHOW = new ExternalTool("transmission-show", "transmission-cli");
    static final ExternalTool TRANSMISSION_CREATE = new ExternalTool("transmission-create", "transmission-cli");
    static final ExternalTool ARIA2C = new ExternalTool("aria2c", "aria2");
    static final ExternalTool MKTORRENT = new ExternalTool("mktorrent", "mktorrent");

    /** The tool's executable, or the test fails (on CI) or is aborted (elsewhere) when it is not installed. */
    Path require() {
        return locate().orElseThrow(() -> missing(executable, debianPackage));
    }

    Optional<Path> locate() {
        if (executable.contains("/")) {
            Path path = Path.of(executable);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = System.getenv().getOrDefault("PATH", "");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Ends the current test because {@code what} is not installed: a failure on CI, an aborted test elsewhere. Returns
     * only to let callers write {@code throw missing(...)}; it always throws itself.
     */
    static RuntimeException missing(String what, String debianPackage) {
        return unmet(what + " is missing: apt-get install " + debianPackage);
    }

    /**
     * Ends the current test because it lacks what {@code missing} says, a tool or anything else the machine must
     * provide: a failure on CI, an aborted test elsewhere. Returns only to let callers write
     * {@code throw unmet(...)}; it always throws itself.
     */
    static RuntimeException unmet(String missing) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing + " (CI=true: a test whose prerequisite is missing fails)");
        }
        Assumptions.abort(missing + " (the test runs where this is met; under CI=true it fails where it is not)");
        throw new IllegalStateException("unreachable");
    }
}
