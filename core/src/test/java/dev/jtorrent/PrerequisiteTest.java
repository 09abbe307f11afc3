package dev.jtorrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisiteTest {

    @Test
    void aMetPrerequisiteLetsTheTestGoOn() {
        assertThat(catchThrowable(() -> Prerequisite.require(true, "nothing"))).isNull();
    }

    @Test
    void aMissingPrerequisiteFailsOnCiAndAbortsElsewhereSayingWhatIsMissing() {
        Throwable thrown = catchThrowable(() -> Prerequisite.require(false, "a unicorn"));

        boolean onCi = "true".equalsIgnoreCase(System.getenv("CI"));
        assertThat(thrown).isInstanceOf(onCi ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageStartingWith("a unicorn (");
    }
}
