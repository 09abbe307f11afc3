package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redirects a tracker may answer with, beyond the loop that {@link HttpTrackerHostileTest} covers. */
class HttpTrackerRedirectTest {
    private static final TrackerConfig FAST = TrackerConfig.DEFAULTS
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800));

    @Test
    void aRedirectToAUrlWithoutAHostIsAnInvalidRedirect() throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer(
                FakeHttpServer.replying(302, "Location: http:///announce\r\n", new byte[0]));
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessage("tracker redirected to an invalid URL");
        }
    }
}
