package dev.jtorrent.daemon.transmission;

/**
 * A request the RPC answers with an error: {@link #getMessage()} is the {@code result} string, as
 * transmission-daemon words it ("file index out of range"), since clients show it to people; {@link #arguments()}
 * is what the reply carries all the same (free-space still answers the path it was given).
 */
final class RpcException extends Exception {
    private final transient Body arguments;

    RpcException(String result) {
        this(result, Body.EMPTY);
    }

    RpcException(String result, Body arguments) {
        super(result, null, false, false);
        this.arguments = arguments;
    }

    Body arguments() {
        return arguments;
    }
}
