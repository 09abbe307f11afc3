package dev.jtorrent.daemon.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test parser is strict: what the tests of /metrics rely on it to refuse, it refuses. */
class PromTextTest {
    @Test
    void readsFamiliesLabelsEscapesAndSpecialValues() {
        PromText text = PromText.parse("""
                # HELP a_total Things, with a \\\\ and a \\n.
                # TYPE a_total counter
                a_total{x="1",b="q\\"uote\\\\"} 3.5e3
                a_total 7 1700000000000
                # TYPE g gauge
                g NaN
                # a comment
                h +Inf
                """);

        assertThat(text.value("a_total{b=\"q\"uote\\\",x=\"1\"}")).isEqualTo(3500);
        assertThat(text.value("a_total")).isEqualTo(7);
        assertThat(text.value("g")).isNaN();
        assertThat(text.value("h")).isInfinite();
        assertThat(text.types).containsEntry("a_total", "counter").containsEntry("g", "gauge");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1abc 1\n",                                   // a name may not start with a digit
            "a{1x=\"v\"} 1\n",                            // nor a label name
            "a{x=\"v} 1\n",                               // an unclosed value
            "a{x=\"\\t\"} 1\n",                           // an escape the format has not
            "a{x=\"1\",x=\"2\"} 1\n",                     // a label twice
            "a 1.2.3\n",                                  // not a float
            "a 1 2.5\n",                                  // a timestamp is an integer
            "a  1\n",                                     // one space
            "a 1",                                        // no final line feed
            "a 1\na 2\n",                                 // a series twice
            "a{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n",          // a family's samples apart
            "a 1\n# TYPE a gauge\n",                      // a TYPE after the samples
            "# TYPE a gauge\n# TYPE a gauge\na 1\n",      // a TYPE twice
            "# TYPE a gauge\na_total 1\n# TYPE a_total counter\n", // a TYPE after its sample was taken as untyped
            "# TYPE a spline\na 1\n",                     // no such type
            "# HELP a bad \\t escape\na 1\n",             // an escape HELP has not
            "# TYPE h histogram\nh 1\n",                  // a histogram's samples have suffixes
    })
    void refusesWhatTheFormatDoesNotAllow(String text) {
        assertThatThrownBy(() -> PromText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
