package dev.jtorrent.daemon.transmission;

import tools.jackson.core.JsonGenerator;

/** The members of a reply's {@code arguments} object, written straight to the reply's generator. */
@FunctionalInterface
interface Body {
    Body EMPTY = json -> {
    };

    /** Writes the members (names and values) of the arguments object, which the caller opened. */
    void write(JsonGenerator json);
}
