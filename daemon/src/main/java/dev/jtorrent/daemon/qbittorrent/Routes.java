package dev.jtorrent.daemon.qbittorrent;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints, by {@code scope/action}, each with the methods qBittorrent allows it: actions that change something
 * take POST alone (its {@code m_allowedMethod} table, 405 otherwise), the rest GET or POST.
 */
final class Routes {
    /** What an endpoint does with a call. */
    @FunctionalInterface
    interface Endpoint {
        Reply handle(Call call) throws ApiException, IOException;
    }

    record Route(Endpoint endpoint, boolean postOnly) {
    }

    private final Map<String, Route> routes = new HashMap<>();

    /** An endpoint that reads: GET or POST. */
    Routes get(String path, Endpoint endpoint) {
        routes.put(path, new Route(endpoint, false));
        return this;
    }

    /** An endpoint that changes something: POST only. */
    Routes post(String path, Endpoint endpoint) {
        routes.put(path, new Route(endpoint, true));
        return this;
    }

    Optional<Route> find(String path) {
        return Optional.ofNullable(routes.get(path));
    }
}
