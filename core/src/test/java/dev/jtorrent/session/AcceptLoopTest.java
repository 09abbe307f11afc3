package dev.jtorrent.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link AcceptLoop} through its seams: a scripted accept, and pauses that are recorded rather than waited. */
class AcceptLoopTest {
    /** What Linux says for EMFILE in German: the loop must not need to understand it. */
    private static final String TOO_MANY_FILES = "Zu viele offene Dateien";

    private final Deque<Object> script = new ArrayDeque<>();
    private final List<SocketChannel> handled = new ArrayList<>();
    private final List<Long> pauses = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private final List<SocketChannel> opened = new ArrayList<>();
    private boolean closed;

    @AfterEach
    void closeChannels() throws IOException {
        for (SocketChannel channel : opened) {
            channel.close();
        }
    }

    @Test
    void failuresBackOffDoublingToOneSecondAndAreReportedOncePerEpisode() throws IOException {
        failures(9);
        SocketChannel first = connection();
        failures(2);
        SocketChannel second = connection();

        loop().run();

        assertThat(pauses).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 10L, 20L);
        assertThat(handled).containsExactly(first, second);
        assertThat(reports).hasSize(4);
        assertThat(reports.get(0)).startsWith("cannot accept incoming connections (" + TOO_MANY_FILES + ")");
        assertThat(reports.get(1)).isEqualTo("accepting incoming connections again, after 9 failed tries");
        assertThat(reports.get(3)).isEqualTo("accepting incoming connections again, after 2 failed tries");
    }

    @Test
    void aFailureAfterTheSessionClosedEndsTheLoopWithoutAPause() throws IOException {
        SocketChannel only = connection();

        loop().run(); // the script's end closes the session, and the accept fails as a closed listener's does

        assertThat(handled).containsExactly(only);
        assertThat(pauses).isEmpty();
        assertThat(reports).isEmpty();
    }

    @Test
    void anInterruptDuringAPauseEndsTheLoop() {
        failures(1);
        new AcceptLoop(this::accept, handled::add, () -> closed, millis -> {
            throw new InterruptedException();
        }, reports::add).run();

        assertThat(script).isEmpty();
        assertThat(reports).hasSize(1);
    }

    @Test
    void aReportThatFailsDoesNotEndTheLoop() throws IOException {
        failures(2);
        SocketChannel after = connection();
        new AcceptLoop(this::accept, handled::add, () -> closed, pauses::add, message -> {
            throw new NoClassDefFoundError("no descriptor left to load the logger's class with");
        }).run();

        assertThat(handled).containsExactly(after);
        assertThat(pauses).containsExactly(10L, 20L);
    }

    private AcceptLoop loop() {
        return new AcceptLoop(this::accept, handled::add, () -> closed, pauses::add, reports::add);
    }

    private SocketChannel accept() throws IOException {
        Object next = script.poll();
        if (next == null) {
            closed = true;
            throw new java.nio.channels.AsynchronousCloseException();
        }
        if (next instanceof IOException failure) {
            throw failure;
        }
        return (SocketChannel) next;
    }

    private void failures(int count) {
        for (int i = 0; i < count; i++) {
            script.add(new IOException(TOO_MANY_FILES));
        }
    }

    private SocketChannel connection() throws IOException {
        SocketChannel channel = SocketChannel.open();
        opened.add(channel);
        script.add(channel);
        return channel;
    }
}
