package dev.jtorrent.daemon.transmission;

/** What the fields of one torrent-get share: the dialect, the time of the request and the RPC's own state. */
final class FieldContext {
    private final Dialect dialect;
    private final long nowSeconds;
    private final RpcState state;

    FieldContext(Dialect dialect, long nowSeconds, RpcState state) {
        this.dialect = dialect;
        this.nowSeconds = nowSeconds;
        this.state = state;
    }

    Dialect dialect() {
        return dialect;
    }

    long nowSeconds() {
        return nowSeconds;
    }

    RpcState state() {
        return state;
    }
}
