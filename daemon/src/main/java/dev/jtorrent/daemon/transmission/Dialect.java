package dev.jtorrent.daemon.transmission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two forms of request and reply the RPC speaks: the legacy one of Transmission up to 4.0 ({@code method},
 * {@code arguments}, {@code tag}; names in kebab-case and camelCase, such as {@code torrent-get} and
 * {@code percentDone}), and the JSON-RPC 2.0 of Transmission 4.1 ({@code jsonrpc}, {@code params}, {@code id}; every
 * name in snake_case, such as {@code torrent_get} and {@code percent_done}).
 *
 * <p>The code names keys by their legacy name alone and asks the dialect for the name on the wire, so that one
 * method serves both dialects.
 */
enum Dialect {
    LEGACY,
    JSON_RPC;

    /** Names whose snake_case form is not the mechanical one (4.1 renamed them, or an acronym stays one word). */
    private static final Map<String, String> SNAKE_EXCEPTIONS = Map.of(
            "cache-size-mb", "cache_size_mib",
            "isUTP", "is_utp",
            "rpc-version-semver", "rpc_version_semver");

    private static final Map<String, String> SNAKE = new ConcurrentHashMap<>();

    /** The wire name of the key or method whose legacy name is {@code legacy}. */
    String name(String legacy) {
        return this == LEGACY ? legacy : snake(legacy);
    }

    /**
     * {@code legacy} in snake_case: {@code percentDone} to {@code percent_done}, {@code peer-limit} to {@code
     * peer_limit}. Names are few and fixed, so each is converted once.
     */
    static String snake(String legacy) {
        String known = SNAKE.get(legacy);
        if (known != null) {
            return known;
        }
        String converted = SNAKE_EXCEPTIONS.getOrDefault(legacy, convert(legacy));
        if (SNAKE.size() < 4096) {
            SNAKE.put(legacy, converted);
        }
        return converted;
    }

    private static String convert(String legacy) {
        StringBuilder out = new StringBuilder(legacy.length() + 4);
        for (int i = 0; i < legacy.length(); i++) {
            char c = legacy.charAt(i);
            if (c == '-') {
                out.append('_');
            } else if (Character.isUpperCase(c)) {
                if (i > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
