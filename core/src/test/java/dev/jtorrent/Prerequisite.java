package dev.jtorrent;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine it runs on (a program, a network address, file descriptors) and may not find
 * there. A missing prerequisite never lets a test pass quietly: under {@code CI=true} the test fails, since CI
 * provides everything the tests need; elsewhere the test is aborted, reported as skipped with a message that says
 * what is missing. (The cli module's interop tests do the same through their {@code ExternalTool}.)
 */
public final class Prerequisite {
    private Prerequisite() {
    }

    /** Ends the current test unless {@code met}: see {@link #unmet}. */
    public static void require(boolean met, String missing) {
        if (!met) {
            throw unmet(missing);
        }
    }

    /**
     * Ends the current test because {@code missing} says what it lacks: a failure under {@code CI=true}, an aborted
     * test elsewhere. Returns only to let callers write {@code throw unmet(...)}; it always throws itself.
     */
    public static RuntimeException unmet(String missing) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing + " (CI=true: a test whose prerequisite is missing fails)");
        }
        Assumptions.abort(missing + " (the test runs where this is met; under CI=true it fails where it is not)");
        throw new IllegalStateException("unreachable");
    }
}
